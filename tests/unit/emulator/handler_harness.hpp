// A RequestHandler with a fixed clock and seeded ids, and a client side that signs requests
// with the real signer, for the emulator's unit tests.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "api/signing/acs3_signer.hpp"
#include "core/clock.hpp"
#include "emulator/request_handler.hpp"

namespace provision::emulator::test {

inline const std::string kWorkspace = "w-d2d82aa09155";
inline const std::string kBase = "/api/v1/workspaces/" + kWorkspace + "/rayCluster";
inline const std::string kStsId = "STS.sts-key-id";
inline const std::string kStsSecret = "sts-key-secret";
inline const std::string kStsToken = "sts/token+with=chars";

inline std::string minimal_body(const std::string& name = "dev") {
  return R"({"name":")" + name +
         R"json(","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)","headSpec":{"queueName":"root_queue","cpu":"2","memory":"8Gi"},"workerSpec":[{"groupName":"g1","workerType":"CPU","replica":2,"queueName":"root_queue","cpu":"4","memory":"16Gi","minReplica":1,"maxReplica":3}]})json";
}

inline HandlerSettings fast_settings() {
  HandlerSettings s;
  s.start_delay = std::chrono::seconds(2);
  return s;
}

inline AccessKeyTable test_keys() {
  AccessKeyTable keys;
  keys.add({std::string(kDemoAccessKeyId), std::string(kDemoAccessKeySecret), "", std::nullopt});
  keys.add({kStsId, kStsSecret, kStsToken, std::nullopt});
  return keys;
}

class Harness {
 public:
  explicit Harness(HandlerSettings settings = fast_settings(), std::filesystem::path store_file = {})
      : store(std::move(store_file)), handler(settings, test_keys(), store, clock, server_random) {}

  // An unsigned request with the headers the official SDK sends (api.md §3, toolchain.md §6).
  api::HttpRequestParts request(const std::string& method, const std::string& path, const std::string& action,
                                const std::string& body = "", api::NameValueList query = {}) const {
    api::HttpRequestParts r;
    r.method = method;
    r.host = "127.0.0.1:8443";
    r.path = path;
    r.query = std::move(query);
    r.body = body;
    r.headers = {{"host", r.host},
                 {"x-acs-version", "2023-08-08"},
                 {"x-acs-action", action},
                 {"accept", "application/json"},
                 {"x-acs-credentials-provider", "static_ak"}};
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json; charset=utf-8");
    return r;
  }

  api::HttpRequestParts signed_request(api::HttpRequestParts r, const api::Credentials& creds = demo()) {
    api::sign_request(r, creds, clock, client_random);
    return r;
  }

  // Recomputes Authorization over the headers as they now are (after a test edited them).
  static void resign(api::HttpRequestParts& r, const std::string& id = std::string(kDemoAccessKeyId),
                     const std::string& secret = std::string(kDemoAccessKeySecret)) {
    api::remove_header(r.headers, "authorization");
    std::string list = api::signed_header_list(r.headers);
    std::vector<std::string> names;
    for (std::size_t start = 0; start <= list.size();) {
      std::size_t end = std::min(list.find(';', start), list.size());
      names.push_back(list.substr(start, end - start));
      start = end + 1;
    }
    r.headers.emplace_back("Authorization",
                           api::authorization_header(id, list, api::compute_signature(r, names, secret)));
  }

  static api::Credentials demo() {
    return {std::string(kDemoAccessKeyId), std::string(kDemoAccessKeySecret), "", "test"};
  }

  HandlerResponse send(const api::HttpRequestParts& signed_parts) { return handler.handle(signed_parts); }

  // Sign with the demo key and send.
  HandlerResponse call(const std::string& method, const std::string& path, const std::string& action,
                       const std::string& body = "", api::NameValueList query = {}) {
    return send(signed_request(request(method, path, action, body, std::move(query))));
  }

  std::string create(const std::string& name = "dev") {
    auto r = call("POST", kBase, "CreateRayCluster", minimal_body(name));
    return std::string(boost::json::parse(r.body).at("clusterId").as_string());
  }

  boost::json::object get(const std::string& id) {
    auto r = call("GET", kBase + "/" + id, "GetRayCluster");
    return boost::json::parse(r.body).as_object();
  }

  std::string state(const std::string& id) { return std::string(get(id).at("state").as_string()); }

  void advance(std::chrono::milliseconds d) { clock.advance(d); }

  FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}}};
  SeededRandom server_random{42};
  SeededRandom client_random{7};
  ClusterStore store;
  RequestHandler handler;
};

inline std::string code_of(const HandlerResponse& r) {
  auto v = boost::json::parse(r.body);
  const auto* code = v.as_object().if_contains("Code");
  return code ? std::string(code->as_string()) : std::string();
}

inline std::string message_of(const HandlerResponse& r) {
  return std::string(boost::json::parse(r.body).at("Message").as_string());
}

inline std::string header_of(const HandlerResponse& r, const std::string& name) {
  auto v = api::find_header(r.headers, name);
  return v ? std::string(*v) : std::string();
}

}  // namespace provision::emulator::test
