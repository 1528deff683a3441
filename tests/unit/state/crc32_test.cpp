// The state file's CRC-32 must stay bit-identical to boost::crc_32_type, which wrote every
// existing state file's checksum.
#include "state/crc32.hpp"

#include <doctest/doctest.h>

#include <boost/crc.hpp>
#include <cstdint>
#include <string>

using provision::state::Crc32;

namespace {

std::uint32_t boost_crc(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

}  // namespace

TEST_CASE("CRC-32 check value and the empty input") {
  Crc32 crc;
  CHECK(crc.value() == 0u);
  crc.update("123456789");
  CHECK(crc.value() == 0xCBF43926u);
}

TEST_CASE("CRC-32 equals boost::crc_32_type for every length and any split of the input") {
  std::string text;
  std::uint32_t x = 12345;
  for (int i = 0; i < 2000; ++i) {
    x = x * 1103515245u + 12345u;
    text += static_cast<char>(x >> 24);
  }
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 63u, 64u, 1000u, 2000u}) {
    const std::string_view part(text.data(), n);
    Crc32 whole;
    whole.update(part);
    CHECK(whole.value() == boost_crc(part));
    for (std::size_t cut : {std::size_t{0}, n / 3, n / 2, n}) {
      Crc32 split;
      split.update(part.substr(0, cut));
      split.update(part.substr(cut));
      CHECK(split.value() == boost_crc(part));
    }
  }
}
