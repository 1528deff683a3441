// Fixed credentials: nothing to renew.
#include "api/credentials_provider.hpp"

namespace provision::api {

boost::asio::awaitable<Credentials> FixedCredentialsProvider::credentials() { co_return credentials_; }

}  // namespace provision::api
