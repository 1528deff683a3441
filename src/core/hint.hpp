// What a message leaves for the CLI to say. The layers below src/cli state the fact and
// attach a Hint; only the CLI names its own commands and options, so it renders the hint
// (src/cli/hint_text.cpp) into the words users read. The variable parts travel as data.
#pragma once

#include <string>

namespace provision {

enum class HintKind {
  kNone,
  kRefreshOrForget,       // a recorded cluster is gone: see it with a refresh, or forget `name`
  kDeleteExtrasOrImport,  // several clusters share a name: delete the extras or import one
  kImportOrAdopt,         // an unmanaged cluster has the spec's name: import `cluster_id` or adopt it
  kAllowReplace,          // an identity change needs a replace, which deletes `cluster_id`
  kPruneToDelete,         // a cluster whose spec is gone is kept unless pruning is asked for
  kPruned,                // a cluster is deleted because its spec is gone and pruning was asked for
  kLockTimeout,           // the state lock is held: waiting for it is an option
  kCaFile,                // the message is about the extra CA file the user gave
  kTrustPrivateCa,        // the server certificate is not trusted: a private CA can be added
  kRequestTimeout,        // the call deadline that ended a request is the request timeout
};

struct Hint {
  HintKind kind = HintKind::kNone;
  std::string name;        // kRefreshOrForget, kImportOrAdopt: the cluster's name
  std::string cluster_id;  // kImportOrAdopt, kAllowReplace
  std::string spec_file;   // kImportOrAdopt

  explicit operator bool() const { return kind != HintKind::kNone; }
  bool operator==(const Hint&) const = default;
};

inline Hint hint_of(HintKind kind) {
  Hint h;
  h.kind = kind;
  return h;
}

}  // namespace provision
