// The journal's lines: every truncation yields a prefix of the batches (the cut batch
// dropped, never misread), every flipped bit is refused, and batches round-trip.
#include "state/journal_codec.hpp"

#include <doctest/doctest.h>

#include <random>

#include "core/error.hpp"
#include "support/state_fixture.hpp"

using namespace provision::state;
using provision::test::put;
using provision::test::record;
using provision::test::removal;

namespace {

const std::string kLineage = "3f9a61c2-07d4-4c1b-9e55-0c2b8e6d1a70";

// Three batches: a and b put, then a removed and c put, then b updated.
std::string three_batches(std::vector<std::size_t>& ends) {
  std::string text;
  text += encode_batch(5, kLineage, {put(record("a")), put(record("b"))});
  ends.push_back(text.size());
  text += encode_batch(6, kLineage, {removal("a"), put(record("c"))});
  ends.push_back(text.size());
  text += encode_batch(7, kLineage, {put(record("b", "-2"))});
  ends.push_back(text.size());
  return text;
}

std::vector<JournalBatch> scan_all(std::string_view text, JournalScan* out = nullptr) {
  std::vector<JournalBatch> batches;
  JournalScan scan = scan_journal(text, [&](JournalBatch&& b) { batches.push_back(std::move(b)); });
  if (out) *out = scan;
  return batches;
}

}  // namespace

TEST_CASE("batches round-trip: serial, lineage, puts and removals in order") {
  std::vector<std::size_t> ends;
  const std::string text = three_batches(ends);
  JournalScan scan;
  const auto batches = scan_all(text, &scan);
  REQUIRE(batches.size() == 3);
  CHECK(scan.valid_bytes == text.size());
  CHECK(scan.torn_bytes == 0);
  CHECK(batches[0].serial == 5);
  CHECK(batches[0].lineage == kLineage);
  REQUIRE(batches[1].changes.size() == 2);
  CHECK(batches[1].changes[0].identity == record("a").identity);
  CHECK(!batches[1].changes[0].record);
  CHECK(*batches[1].changes[1].record == record("c"));
  CHECK(batches[2].changes[0].record->cluster_id == "ray-b-2");
}

TEST_CASE(
    "a journal truncated at every length gives the batches before the cut, and counts the rest as torn") {
  std::vector<std::size_t> ends;
  const std::string text = three_batches(ends);
  for (std::size_t n = 0; n <= text.size(); ++n) {
    CAPTURE(n);
    JournalScan scan;
    std::vector<JournalBatch> batches;
    try {
      batches = scan_all(std::string_view(text).substr(0, n), &scan);
    } catch (const provision::Error& e) {
      // Only the cut that leaves a whole batch but its newline is ambiguous with damage.
      const bool newline_cut = std::find(ends.begin(), ends.end(), n + 1) != ends.end();
      CHECK_MESSAGE(newline_cut, e.what());
      continue;
    }
    const std::size_t whole = static_cast<std::size_t>(
        std::count_if(ends.begin(), ends.end(), [&](std::size_t e) { return e <= n; }));
    CHECK(batches.size() == whole);
    CHECK(scan.valid_bytes == (whole ? ends[whole - 1] : 0));
    CHECK(scan.valid_bytes + scan.torn_bytes == n);
  }
}

TEST_CASE("every single flipped bit of a journal is refused") {
  std::vector<std::size_t> ends;
  const std::string text = three_batches(ends);
  std::size_t refused = 0;
  std::size_t cases = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (int bit = 0; bit < 8; bit += 3) {
      std::string bad = text;
      bad[at] = static_cast<char>(bad[at] ^ (1 << bit));
      CAPTURE(at);
      CAPTURE(bit);
      ++cases;
      try {
        scan_all(bad);
      } catch (const provision::Error&) {
        ++refused;
        continue;
      }
      FAIL("a damaged journal was accepted");
    }
  }
  CHECK(refused == cases);
}

TEST_CASE("a half-written batch after good ones is torn, not damage, damage before the end is refused") {
  std::vector<std::size_t> ends;
  const std::string text = three_batches(ends);
  const std::string half = text.substr(ends[1], (ends[2] - ends[1]) / 2);
  JournalScan scan;
  auto batches = scan_all(text.substr(0, ends[1]) + half, &scan);
  CHECK(batches.size() == 2);
  CHECK(scan.torn_bytes == half.size());
  // The same half batch followed by a newline and more is damage, not a crash.
  CHECK_THROWS_AS(scan_all(text.substr(0, ends[1]) + half + "\n" + text.substr(ends[1])), provision::Error);
}
