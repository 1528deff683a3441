// CRC-32 (IEEE 802.3, the checksum of zlib, PNG and boost::crc_32_type) of the state file
// and of each journal batch, computed by zlib.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace provision::state {

class Crc32 {
 public:
  void update(std::string_view bytes);
  // The checksum of every byte given so far.
  std::uint32_t value() const { return value_; }

 private:
  std::uint32_t value_ = 0;
};

}  // namespace provision::state
