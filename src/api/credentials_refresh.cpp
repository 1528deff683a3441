// The renewal rule as arithmetic only, so the table test pins it down.
#include "api/credentials_refresh.hpp"

#include <algorithm>

namespace provision::api {

SystemTime renewal_time(SystemTime obtained, SystemTime expiration) {
  if (expiration <= obtained) return obtained;
  const auto lifetime = expiration - obtained;
  const auto margin = std::min<SystemTime::duration>(kRefreshMargin, lifetime / 2);
  return expiration - margin;
}

bool renewal_due(SystemTime now, SystemTime obtained, SystemTime expiration) {
  return now >= renewal_time(obtained, expiration);
}

}  // namespace provision::api
