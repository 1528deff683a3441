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
  FileStamp stamp;
  // Parsed while it is read: the file's text is never held whole next to its document.
  StateDecoder decoder;
  if (!read_file_chunks(path_, kMaxStateBytes, &stamp,
                        [&](std::string_view chunk) { decoder.write(chunk); })) {
    State state = empty_state(random);
    known_ = Known{state.lineage, state.serial, std::nullopt};
    return state;
  }
  try {
    State state = decoder.finish();
    known_ = Known{state.lineage, state.serial, stamp};
    return state;
  } catch (const Error& e) {
    known_.reset();
    std::string message =
        "state file '" + path_.string() + "' cannot be used: " + e.what() + "; the file was left untouched";
    std::error_code ec;
    if (fs::is_regular_file(backup_path(), ec))
      message += " (the previous version is in '" + backup_path().string() + "')";
    throw Error(ErrorKind::kState, message);
  }
}

bool StateFile::still_known(const State& state) const {
  return known_ && known_->lineage == state.lineage && known_->serial == state.serial &&
         stamp_of(path_) == known_->stamp;
}

// The thorough check: the file's own serial and lineage must be the ones `state` came from.
void StateFile::check_on_disk(const State& state) const {
  StateDecoder decoder;
  if (read_file_chunks(path_, kMaxStateBytes, nullptr,
                       [&](std::string_view chunk) { decoder.write(chunk); })) {
    State current;
    try {
      current = decoder.finish();
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
}

void StateFile::save(State& state, const FaultHook& fault) const {
  write_next(
      state, [&] { return encode_state(state); }, fault);
}

void StateFile::save(State& header, const EncodedRecords& records, const FaultHook& fault) const {
  write_next(
      header, [&] { return encode_state(header, records); }, fault);
}

void StateFile::write_next(State& header, const std::function<std::string()>& encode,
                           const FaultHook& fault) const {
  if (!still_known(header)) check_on_disk(header);
  // Encoded with the next serial without copying the state.
  const std::uint64_t serial = header.serial;
  header.serial = serial + 1;
  std::string bytes;
  try {
    bytes = encode();
  } catch (...) {
    header.serial = serial;
    throw;
  }
  header.serial = serial;
  FileStamp written;
  replace_file_atomically(path_, bytes, backup_path(), fault, &written);
  header.serial = serial + 1;
  known_ = Known{header.lineage, header.serial, written};
}

}  // namespace provision::state
