// --access-log: one JSON object per line and request. Holds no secrets: no headers, no
// bodies, no Authorization, no tokens.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>

namespace provision::emulator {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the request was read
  std::string request_id;
  std::string action;  // "" when no operation matched
  std::string method;
  std::string path;  // without the query string
  int status = 0;    // HTTP status sent; 0 when the connection was closed without an answer
  std::string code;  // error code, "" on success
  std::int64_t latency_ms = 0;
  std::string fault;  // injected fault, "" when none
};

// {"time":"2026-11-26T07:05:36.123Z","requestId":..,"action":..,"method":..,"path":..,
//  "status":200,"code":"","latency_ms":3,"fault":""}
std::string access_log_line(const AccessLogEntry& entry);

// Appends lines to a file, flushing each so a crash loses nothing already answered.
class AccessLog {
 public:
  // Throws Error(kUsage) when the file cannot be opened for appending.
  explicit AccessLog(const std::string& path);
  void write(const AccessLogEntry& entry);

 private:
  std::ofstream out_;
};

}  // namespace provision::emulator
