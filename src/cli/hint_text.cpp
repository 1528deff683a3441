// One switch over HintKind, so a new kind fails to compile (-Wswitch) until it has words.
#include "cli/hint_text.hpp"

namespace provision::cli {

std::string with_hint(const std::string& message, const Hint& hint) {
  switch (hint.kind) {
    case HintKind::kNone:
      return message;
    case HintKind::kRefreshOrForget:
      return message + "; 'provision plan --refresh' shows it, 'provision state rm " + hint.name +
             "' forgets it";
    case HintKind::kDeleteExtrasOrImport:
      return message + ": delete the extra ones or import the right one with 'provision state import'";
    case HintKind::kImportOrAdopt:
      return message + "; run 'provision state import " + hint.name + " " + hint.cluster_id + " " +
             hint.spec_file + "' or apply with --adopt";
    case HintKind::kAllowReplace:
      return message + ": apply with --allow-replace to delete " + hint.cluster_id +
             " and create a new cluster";
    case HintKind::kPruneToDelete:
      return message + " (apply with --prune to delete it)";
    case HintKind::kPruned:
      return message + " (--prune)";
    case HintKind::kLockTimeout:
      return message + " or use --lock-timeout";
    case HintKind::kCaFile:
      return "--ca-file " + message;
    case HintKind::kTrustPrivateCa:
      return message + "; if a private CA issued it, pass that CA with --ca-file";
    case HintKind::kRequestTimeout:
      return message + "; --request-timeout sets the call deadline";
  }
  return message;
}

std::string error_text(const Error& e) { return with_hint(e.what(), e.hint()); }

std::string note_text(const engine::PlannedAction& action) { return with_hint(action.note, action.hint); }

}  // namespace provision::cli
