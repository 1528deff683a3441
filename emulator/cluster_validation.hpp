// Checks a CreateRayCluster/UpdateRayCluster body the way the service does (api.md §1.3) and
// keeps the known fields as the stored spec.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>
#include <variant>

#include "emulator/api_error.hpp"

namespace provision::emulator {

// The first problem found (MissingParameter or InvalidParameter), or the spec to store:
// the known fields only, unknown ones dropped as the service ignores them, and
// headSpec.gftConfig.redisPassword dropped so that no password is written to disk.
// Rules: name 1-64 characters; displayReleaseVersion and headSpec required; at most 50
// worker groups with unique non-empty groupName; replica/minReplica/maxReplica int32 >= 1 and
// minReplica <= maxReplica; idleTimeoutSeconds int32 >= 0; extraParam (top level or per worker
// group) a string holding JSON; every other field of its documented type.
std::variant<boost::json::object, ApiError> validate_cluster_body(std::string_view body);

}  // namespace provision::emulator
