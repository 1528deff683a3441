// Runs one awaitable to completion on an io_context for a test, with a hard bound.
#pragma once

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <optional>

namespace provision::test {

template <class T>
T run_coroutine(boost::asio::io_context& io, boost::asio::awaitable<T> work,
                std::chrono::seconds bound = std::chrono::seconds(60)) {
  std::optional<T> result;
  std::exception_ptr error;
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
    if (e) {
      error = e;
    } else {
      result.emplace(std::move(value));
    }
  });
  io.restart();
  io.run_for(bound);
  if (error) std::rethrow_exception(error);
  REQUIRE_MESSAGE(result.has_value(), "the coroutine did not finish within the bound");
  return std::move(*result);
}

}  // namespace provision::test
