// Error-body parsing, classification and messages for API failures.
#include "api/api_error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

namespace provision::api {

namespace {

constexpr size_t kMaxDetail = 1000;  // server text is untrusted: keep messages readable

// Printable, single-line and bounded, so a hostile body cannot garble a terminal.
std::string sanitize(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxDetail) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  return out;
}

std::string json_field(const boost::json::object& obj, const char* upper, const char* lower) {
  for (const char* key : {upper, lower}) {
    if (const auto* v = obj.if_contains(key)) {
      if (v->is_string()) return std::string(v->get_string());
      if (v->is_int64()) return std::to_string(v->get_int64());
    }
  }
  return {};
}

// The text of the first <tag>...</tag>; enough for the flat XML <Error> documents.
std::string xml_field(std::string_view body, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  size_t start = body.find(open);
  if (start == std::string_view::npos) return {};
  start += open.size();
  size_t end = body.find(close, start);
  if (end == std::string_view::npos) return {};
  return std::string(body.substr(start, end - start));
}

std::string header_value(const HeaderList& headers, std::string_view wanted) {
  for (const auto& [name, value] : headers) {
    if (name.size() != wanted.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(name[i])) == wanted[i];
    }
    if (same) return value;
  }
  return {};
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

ApiErrorBody parse_error_body(std::string_view body, std::string_view content_type) {
  ApiErrorBody out;
  if (content_type.find("xml") != std::string_view::npos || body.substr(0, 5) == "<?xml") {
    out.code = xml_field(body, "Code");
    out.message = xml_field(body, "Message");
    out.request_id = xml_field(body, "RequestId");
    out.recommend = xml_field(body, "Recommend");
    return out;
  }
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return out;
  const auto& obj = doc.get_object();
  out.code = json_field(obj, "Code", "code");
  out.message = json_field(obj, "Message", "message");
  out.request_id = json_field(obj, "RequestId", "requestId");
  out.recommend = json_field(obj, "Recommend", "recommend");
  return out;
}

bool is_throttling_code(std::string_view code) {
  return code == "Throttling" || code == "Throttling.User" || code == "Throttling.Api";
}

FailureKind classify_http(int http_status, std::string_view code, bool idempotent) {
  if (is_throttling_code(code) || http_status == 429) return FailureKind::kRetryable;
  if (code == "ServiceUnavailable" || http_status == 503) return FailureKind::kRetryable;
  if (code == "InternalError" || http_status >= 500) {
    return idempotent ? FailureKind::kRetryable : FailureKind::kAmbiguous;
  }
  return FailureKind::kFinal;
}

ApiFailure http_failure(std::string operation, std::string host, int http_status, const HeaderList& headers,
                        std::string_view body, bool idempotent) {
  ApiErrorBody parsed = parse_error_body(body, header_value(headers, "content-type"));
  ApiFailure f;
  f.operation = std::move(operation);
  f.host = std::move(host);
  f.http_status = http_status;
  f.code = sanitize(parsed.code);
  f.request_id =
      sanitize(parsed.request_id.empty() ? header_value(headers, "x-acs-request-id") : parsed.request_id);
  if (!parsed.message.empty()) {
    f.detail = sanitize(parsed.message);
  } else if (!body.empty()) {
    f.detail = "unrecognised error body: " + sanitize(body.substr(0, 200));
  } else {
    f.detail = "empty error body";
  }
  if (!parsed.recommend.empty()) f.detail += " (see " + sanitize(parsed.recommend) + ")";
  f.throttled = is_throttling_code(parsed.code);
  f.kind = classify_http(http_status, parsed.code, idempotent);
  update_message(f);
  return f;
}

ApiFailure transport_failure(std::string operation, std::string host, FailureKind kind,
                             const std::string& reason, Hint hint) {
  ApiFailure f;
  f.hint = std::move(hint);
  f.operation = std::move(operation);
  f.host = std::move(host);
  f.kind = kind;
  f.detail = sanitize(reason);
  update_message(f);
  return f;
}

void update_message(ApiFailure& f) {
  std::string status = f.http_status == 0 ? "no HTTP response" : "HTTP " + std::to_string(f.http_status);
  f.message = f.operation + " failed on host " + f.host + " (" + status + ", code " + or_dash(f.code) +
              ", RequestId " + or_dash(f.request_id) + ")";
  if (f.attempts > 1) f.message += " after " + std::to_string(f.attempts) + " attempts";
  f.message += ": " + f.detail;
  if (f.code == "InvalidSecurityToken.Expired") {
    f.message +=
        " [the temporary credentials have expired: get new ones, or use a role source that renews them, "
        "such as ALIBABA_CLOUD_ROLE_ARN with an OIDC token file (doc/credentials.md)]";
  }
  if (f.kind == FailureKind::kAmbiguous) {
    f.message += " [the request may have reached the server; its effect is unknown]";
  }
}

}  // namespace provision::api
