// Typed results of the seven Ray-cluster operations (API 2023-08-08), plus the
// Outcome wrapper that carries either a result or an ApiFailure.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/api_error.hpp"

namespace provision::api {

// A cluster as GetRayCluster or a ListRayCluster item describes it. Fields the API
// left out stay empty / nullopt; `raw` keeps the whole object for everything else.
struct ClusterInfo {
  std::string cluster_id;  // "ray-k7nm8ahl5te4tg91"
  std::string name;
  std::string state;    // Starting | Running | Stopping | Stopped | Error (verbatim)
  std::string message;  // error text when state is Error
  std::string dashboard_url;
  std::string instance_id;                    // needed by StopRayCluster
  bool modified = false;                      // "the configuration was modified" (pending restart)
  std::optional<std::int64_t> create_time;    // Unix milliseconds
  std::optional<std::int64_t> modified_time;  // Unix milliseconds
  boost::json::object raw;
};

struct CreateResult {
  std::string cluster_id;
  std::string request_id;
};

struct UpdateResult {
  std::string cluster_id;
  std::string request_id;
};

struct StartResult {
  std::string client_token;  // reuse it to repeat this logical start safely
  std::string request_id;
};

// Stop and Delete return only a request id.
struct Acknowledged {
  std::string request_id;
};

// Either a value or the failure that prevented it.
template <class T>
class Outcome {
 public:
  // A failure "did not complete": co_spawn hands this out when the coroutine threw.
  Outcome() : v_(not_completed()) {}
  Outcome(T value) : v_(std::move(value)) {}               // NOLINT: implicit by design
  Outcome(ApiFailure failure) : v_(std::move(failure)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const ApiFailure& failure() const { return std::get<1>(v_); }

 private:
  static ApiFailure not_completed() {
    ApiFailure f;
    f.detail = f.message = "the operation did not complete";
    return f;
  }

  std::variant<T, ApiFailure> v_;
};

}  // namespace provision::api
