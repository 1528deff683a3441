// The local store's journal: one line per committed batch of record changes, each with
// its serial, the state's lineage and a CRC-32, appended after the snapshot
// (doc/state-format.md). Pure: text in, batches out.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/cluster_state.hpp"
#include "state/state_store.hpp"

namespace provision::state {

// One batch as read back: each change a record to put, or an identity to remove.
struct JournalBatch {
  std::uint64_t serial = 0;
  std::string lineage;
  struct Change {
    ClusterIdentity identity;
    std::optional<ClusterRecord> record;  // nothing: removed
  };
  std::vector<Change> changes;
};

// The line for one batch, ending in a newline:
// {"serial":N,"lineage":"…","changes":[{"put":{record}},{"remove":{identity}}],"checksum":"crc32:…"}
std::string encode_batch(std::uint64_t serial, const std::string& lineage, const ChangeBatch& changes);

// What a scan found besides the batches.
struct JournalScan {
  std::size_t batches = 0;
  std::size_t valid_bytes = 0;  // the complete batches, from the start
  std::size_t torn_bytes = 0;   // an incomplete last batch after them, to drop
};

// Hands each complete batch to `each`, in order. An incomplete last line (a crash during
// an append) is not a batch: it is counted in torn_bytes. Any other damage (a line that is
// not a valid batch, a bad checksum, a last line whose newline alone is damaged) throws
// Error(kState) naming the line.
JournalScan scan_journal(std::string_view text, const std::function<void(JournalBatch&&)>& each);

}  // namespace provision::state
