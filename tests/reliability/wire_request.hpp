// ACS3-HMAC-SHA256-signed requests built here, signed with the `openssl` command and
// sent with `openssl s_client`, so tests can tamper with any part after signing and
// send the bytes to the real emulator process. No product signing code is used:
// reliability_tests links only provision_core, and an independent signer cross-checks
// the emulator.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "support/process.hpp"

namespace provision::test {

inline std::string openssl_digest(const std::string& data, const std::string& hmac_key = "") {
  std::vector<std::string> argv{"/usr/bin/openssl", "dgst", "-sha256", "-r"};
  if (!hmac_key.empty()) argv.insert(argv.end(), {"-hmac", hmac_key});
  RunOptions options;
  options.stdin_data = data;
  const auto r = run(argv, options);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, 64);
}

struct WireRequest {
  std::string method, path, body;
  std::vector<std::pair<std::string, std::string>> headers;  // signed, lower-case, sorted
  std::string credential = "demo-access-key-id";
  std::string signed_header_list;
  std::string signature;

  // Signs the request as it is now (api.md §3): canonical request, string to sign, HMAC.
  void sign(const std::string& secret = "demo-access-key-secret") {
    std::string canonical_headers;
    signed_header_list.clear();
    for (const auto& [name, value] : headers) {
      canonical_headers += name + ":" + value + "\n";
      signed_header_list += (signed_header_list.empty() ? "" : ";") + name;
    }
    const std::string canonical = method + "\n" + path + "\n\n" + canonical_headers + "\n" +
                                  signed_header_list + "\n" + header("x-acs-content-sha256");
    signature = openssl_digest("ACS3-HMAC-SHA256\n" + openssl_digest(canonical), secret);
  }

  std::string header(const std::string& name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return {};
  }
  void set_header(const std::string& name, const std::string& value) {
    for (auto& [n, v] : headers)
      if (n == name) v = value;
  }

  std::string wire() const {
    std::string out = method + " " + path + " HTTP/1.1\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "Authorization: ACS3-HMAC-SHA256 Credential=" + credential +
           ",SignedHeaders=" + signed_header_list + ",Signature=" + signature + "\r\n";
    return out + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  }
};

// A signed request for the emulator at 127.0.0.1:port, dated `when`.
inline WireRequest signed_request(
    const std::string& method, const std::string& path, const std::string& action, const std::string& body,
    int port, std::chrono::system_clock::time_point when = std::chrono::system_clock::now()) {
  static OsRandom random;
  WireRequest r;
  r.method = method;
  r.path = path;
  r.body = body;
  if (!body.empty()) r.headers.emplace_back("content-type", "application/json; charset=utf-8");
  r.headers.insert(r.headers.end(), {{"host", "127.0.0.1:" + std::to_string(port)},
                                     {"x-acs-action", action},
                                     {"x-acs-content-sha256", openssl_digest(body)},
                                     {"x-acs-date", format_iso8601_utc(when)},
                                     {"x-acs-signature-nonce", random.hex_nonce()},
                                     {"x-acs-version", "2023-08-08"}});
  r.sign();
  return r;
}

struct WireReply {
  int status = 0;
  std::string body;
  std::string code() const {
    std::smatch m;
    return std::regex_search(body, m, std::regex("\"Code\":\"([^\"]*)\"")) ? std::string(m[1])
                                                                           : std::string();
  }
};

// Sends `bytes` over one TLS connection verified against `ca` for 127.0.0.1.
inline WireReply exchange(int port, const std::string& ca, const std::string& bytes) {
  RunOptions options;
  options.stdin_data = bytes;
  options.timeout = std::chrono::seconds(30);
  const auto r = run({"/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                      "-CAfile", ca, "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet"},
                     options);
  WireReply reply;
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex("^HTTP/1\\.1 ([0-9]{3}) "))) reply.status = std::stoi(m[1]);
  const auto at = r.out.find("\r\n\r\n");
  if (at != std::string::npos) reply.body = r.out.substr(at + 4);
  return reply;
}

}  // namespace provision::test
