// The metadata service over the shared transport: an IPv4 literal, plain HTTP, each step
// bounded by the endpoint's timeout and the whole call by two of them.
#include "api/imds_request.hpp"

#include <arpa/inet.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

#include "api/https_client.hpp"
#include "core/error.hpp"

namespace provision::api {
namespace {

constexpr std::size_t kMaxResponse = std::size_t{64} * 1024;

// The step named as a person would: "connect", "waiting for the response", ...
const char* step_words(TransportStage stage) {
  switch (stage) {
    case TransportStage::kQueue:
      return "queueing the request";
    case TransportStage::kResolve:
      return "resolve";
    case TransportStage::kConnect:
      return "connect";
    case TransportStage::kHandshake:
      return "handshake";
    case TransportStage::kWrite:
      return "sending the request";
    case TransportStage::kRead:
      return "waiting for the response";
  }
  return "?";
}

TransportOptions options_for(const ImdsEndpoint& endpoint) {
  TransportOptions o;
  o.connect_timeout = o.write_timeout = o.read_timeout = endpoint.timeout;
  o.max_body_bytes = kMaxResponse;
  o.max_header_bytes = kMaxResponse;
  o.max_connections_per_host = 1;
  return o;
}

}  // namespace

ImdsResponse imds_request(const ImdsEndpoint& endpoint, std::string_view method, std::string_view path,
                          const NameValueList& headers) {
  const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  auto fail = [&](const std::string& what) {
    return Error(ErrorKind::kNetwork, "metadata service " + where + ": " + what);
  };
  // The service lives at a link-local address; a name would mean a DNS lookup first.
  in_addr ignored{};
  if (::inet_pton(AF_INET, endpoint.host.c_str(), &ignored) != 1) throw fail("not an IPv4 address");

  Endpoint to(endpoint.host, endpoint.port);
  to.tls = false;
  HttpRequest request{std::string(method), std::string(path), headers, ""};
  request.headers.emplace_back("Connection", "close");
  const auto deadline = std::chrono::steady_clock::now() + 2 * endpoint.timeout;

  boost::asio::io_context io;
  HttpsClient client(io, options_for(endpoint));
  std::optional<TransportResult> result;
  std::exception_ptr error;
  boost::asio::co_spawn(io, client.send(std::move(to), std::move(request), deadline),
                        [&](std::exception_ptr e, TransportResult r) {
                          if (e)
                            error = e;
                          else
                            result.emplace(std::move(r));
                        });
  io.run();
  if (error) std::rethrow_exception(error);
  if (const auto* e = std::get_if<TransportError>(&*result)) {
    if (e->timed_out)
      throw fail(std::string(step_words(e->stage)) + " timed out after " +
                 std::to_string(endpoint.timeout.count()) + " ms");
    throw fail(e->reason);
  }
  auto& response = std::get<HttpResponse>(*result);
  return ImdsResponse{response.status, std::move(response.body)};
}

}  // namespace provision::api
