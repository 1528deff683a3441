// Loading and saving the state file, with messages that name the file and say
// what was left where.
#include "state/state_file.hpp"

#include "core/error.hpp"
#include "state/state_codec.hpp"

namespace provision::state {
namespace fs = std::filesystem;
namespace {

// A state file is small; anything bigger is not ours.
constexpr std::size_t kMaxStateBytes = std::size_t{64} << 20;

std::string lineage_from(Random& random) {
  std::string hex = random.hex_nonce();  // 32 hex digits, shown as a UUID
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

}  // namespace

State empty_state(Random& random) {
  State state;
  state.lineage = lineage_from(random);
  return state;
}

fs::path StateFile::backup_path() const {
  fs::path p = path_;
  p += ".backup";
  return p;
}

fs::path StateFile::lock_path() const {
  fs::path p = path_;
  p += ".lock";
  return p;
}

State StateFile::load(Random& random) const {
  auto text = read_file_if_exists(path_, kMaxStateBytes);
  if (!text) return empty_state(random);
  try {
    return decode_state(*text);
  } catch (const Error& e) {
    std::string message =
        "state file '" + path_.string() + "' cannot be used: " + e.what() + "; the file was left untouched";
    std::error_code ec;
    if (fs::is_regular_file(backup_path(), ec))
      message += " (the previous version is in '" + backup_path().string() + "')";
    throw Error(ErrorKind::kState, message);
  }
}

void StateFile::save(State& state, const FaultHook& fault) const {
  if (auto on_disk = read_file_if_exists(path_, kMaxStateBytes)) {
    State current;
    try {
      current = decode_state(*on_disk);
    } catch (const Error& e) {
      throw Error(ErrorKind::kState, "state file '" + path_.string() + "' was damaged while provision ran (" +
                                         e.what() + "); not overwriting it");
    }
    if (current.lineage != state.lineage || current.serial != state.serial)
      throw Error(ErrorKind::kState, "state file '" + path_.string() +
                                         "' changed on disk since it was read (serial " +
                                         std::to_string(current.serial) + ", expected " +
                                         std::to_string(state.serial) + "); not overwriting it");
  } else if (state.serial != 0) {
    throw Error(ErrorKind::kState,
                "state file '" + path_.string() + "' disappeared since it was read; not writing a new one");
  }
  State next = state;
  next.serial = state.serial + 1;
  replace_file_atomically(path_, encode_state(next), backup_path(), fault);
  state.serial = next.serial;
}

}  // namespace provision::state
