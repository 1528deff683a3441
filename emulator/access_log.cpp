// JSON lines via Boost.JSON so that paths with odd characters stay valid JSON.
#include "emulator/access_log.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/utf8.hpp"

namespace provision::emulator {

std::string access_log_line(const AccessLogEntry& e) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch()).count() % 1000;
  std::string time = format_iso8601_utc(e.time);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(ms < 0 ? ms + 1000 : ms));
  time.insert(time.size() - 1, fraction);
  boost::json::object o;
  o["time"] = time;
  o["requestId"] = e.request_id;
  o["action"] = e.action;
  o["method"] = to_valid_utf8(e.method);  // request bytes: keep each line valid UTF-8
  o["path"] = to_valid_utf8(e.path);
  o["status"] = e.status;
  o["code"] = e.code;
  o["latency_ms"] = e.latency_ms;
  o["fault"] = e.fault;
  return boost::json::serialize(o);
}

AccessLog::AccessLog(const std::string& path) : out_(path, std::ios::app) {
  if (!out_) throw Error(ErrorKind::kUsage, "--access-log: cannot open '" + path + "' for appending");
}

void AccessLog::write(const AccessLogEntry& entry) { out_ << access_log_line(entry) << '\n' << std::flush; }

}  // namespace provision::emulator
