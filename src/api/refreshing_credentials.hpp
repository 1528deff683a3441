// Temporary credentials (STS roles) cached until their renewal time (credentials_refresh.hpp),
// then renewed once: requests that arrive while a renewal is in flight wait for it and share
// its result, or its failure.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

#include "api/credentials_provider.hpp"
#include "api/sts_response.hpp"
#include "core/clock.hpp"

namespace provision::api {

class RefreshingCredentialsProvider final : public CredentialsProvider {
 public:
  // Fetches new temporary credentials; throws Error(kCredentials) on failure.
  using Fetch = std::function<boost::asio::awaitable<TemporaryCredentials>()>;

  // `clock` must outlive the provider. Use it from one io_context thread only.
  RefreshingCredentialsProvider(Fetch fetch, const Clock& clock);
  ~RefreshingCredentialsProvider() override;

  [[nodiscard]] boost::asio::awaitable<Credentials> credentials() override;
  void invalidate(std::string_view access_key_id) override;
  bool renews() const override { return true; }

  // Fetches made so far (successful or not): for tests and for messages.
  std::uint64_t fetches() const { return fetches_; }

 private:
  struct Waiters;

  [[nodiscard]] boost::asio::awaitable<void> renew();

  Fetch fetch_;
  const Clock& clock_;
  std::optional<TemporaryCredentials> cached_;
  std::chrono::system_clock::time_point obtained_{};
  std::uint64_t cached_fetch_ = 0;  // number of the fetch that produced cached_
  bool renewing_ = false;
  std::uint64_t fetches_ = 0;
  std::uint64_t failed_fetch_ = 0;  // number of the last fetch that failed (0 = none)
  std::exception_ptr failure_;      // its error, handed to the requests that waited for it
  std::unique_ptr<Waiters> waiters_;
};

}  // namespace provision::api
