// When cached temporary credentials are renewed (issue 17): at the latest 180 s before they
// expire, as the official SDKs do; a lifetime under 6 minutes is renewed halfway through, so
// short-lived credentials are still reused between renewals.
#pragma once

#include <chrono>

namespace provision::api {

inline constexpr std::chrono::seconds kRefreshMargin{180};

using SystemTime = std::chrono::system_clock::time_point;

// The moment from which credentials obtained at `obtained` and expiring at `expiration` must
// be renewed: expiration - min(180 s, lifetime / 2). Already-expired credentials (expiration
// <= obtained) are due at once.
SystemTime renewal_time(SystemTime obtained, SystemTime expiration);

// True when, at `now`, the credentials must be renewed before the next request.
bool renewal_due(SystemTime now, SystemTime obtained, SystemTime expiration);

}  // namespace provision::api
