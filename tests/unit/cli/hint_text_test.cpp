// The CLI's words for the hints of the layers below it: every kind renders to the text
// users read (unchanged from when those layers wrote it themselves) and names its option.
#include "cli/hint_text.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace provision;

namespace {

Hint hint(HintKind kind, std::string name = "", std::string cluster_id = "", std::string spec_file = "") {
  Hint h = hint_of(kind);
  h.name = std::move(name);
  h.cluster_id = std::move(cluster_id);
  h.spec_file = std::move(spec_file);
  return h;
}

struct Case {
  Hint hint;
  std::string message;
  std::string rendered;
  std::string names;  // the command or option the words must name
};

}  // namespace

TEST_CASE("every hint renders into the words users read, naming its command or option") {
  const Case cases[] = {
      {hint(HintKind::kNone), "plain fact", "plain fact", ""},
      {hint(HintKind::kRefreshOrForget, "alpha"),
       "cluster ray-1 no longer exists (deleted outside provision?)",
       "cluster ray-1 no longer exists (deleted outside provision?); 'provision plan --refresh' shows it, "
       "'provision state rm alpha' forgets it",
       "'provision state rm alpha'"},
      {hint(HintKind::kDeleteExtrasOrImport),
       "2 clusters named 'a' exist in workspace w-1 (r-1, r-2); provision will not guess",
       "2 clusters named 'a' exist in workspace w-1 (r-1, r-2); provision will not guess: delete the extra "
       "ones or "
       "import the right one with 'provision state import'",
       "'provision state import'"},
      {hint(HintKind::kImportOrAdopt, "a", "ray-x", "specs/a.yaml"),
       "cluster ray-x named 'a' already exists but is not managed by provision",
       "cluster ray-x named 'a' already exists but is not managed by provision; run 'provision state import "
       "a "
       "ray-x specs/a.yaml' or apply with --adopt",
       "--adopt"},
      {hint(HintKind::kAllowReplace, "", "ray-a"),
       "identity changed from w-1/a; regionId, workspaceId and name cannot be updated in place",
       "identity changed from w-1/a; regionId, workspaceId and name cannot be updated in place: apply with "
       "--allow-replace to delete ray-a and create a new cluster",
       "--allow-replace"},
      {hint(HintKind::kPruneToDelete), "its spec is gone; kept",
       "its spec is gone; kept (apply with --prune to delete it)", "--prune"},
      {hint(HintKind::kPruned), "its spec is gone", "its spec is gone (--prune)", "--prune"},
      {hint(HintKind::kLockTimeout), "state is locked by pid 1 (lock file 'l'); wait for it to finish",
       "state is locked by pid 1 (lock file 'l'); wait for it to finish or use --lock-timeout",
       "--lock-timeout"},
      {hint(HintKind::kCaFile), "ca.pem: no such file", "--ca-file ca.pem: no such file", "--ca-file"},
      {hint(HintKind::kTrustPrivateCa), "TLS handshake: the server certificate is not trusted (self-signed)",
       "TLS handshake: the server certificate is not trusted (self-signed); if a private CA issued it, pass "
       "that "
       "CA with --ca-file",
       "--ca-file"},
      {hint(HintKind::kRequestTimeout), "read: no complete response within the call deadline (0 ms left)",
       "read: no complete response within the call deadline (0 ms left); --request-timeout sets the call "
       "deadline",
       "--request-timeout"},
  };
  std::set<HintKind> covered;
  for (const Case& c : cases) {
    CAPTURE(c.message);
    covered.insert(c.hint.kind);
    const std::string text = cli::with_hint(c.message, c.hint);
    CHECK(text == c.rendered);
    CHECK(text.find(c.names) != std::string::npos);
  }
  // A new HintKind needs a row here (and words in hint_text.cpp).
  CHECK(covered.size() == static_cast<std::size_t>(HintKind::kRequestTimeout) + 1);
}

TEST_CASE("errors and plan notes are shown with their hints") {
  CHECK(cli::error_text(
            Error(ErrorKind::kLocked, "locked; wait for it to finish", hint_of(HintKind::kLockTimeout))) ==
        "locked; wait for it to finish or use --lock-timeout");
  CHECK(cli::error_text(Error(ErrorKind::kUsage, "bad")) == "bad");
  engine::PlannedAction gone;
  gone.note = "its spec is gone";
  gone.hint = hint_of(HintKind::kPruned);
  CHECK(cli::note_text(gone) == "its spec is gone (--prune)");
}
