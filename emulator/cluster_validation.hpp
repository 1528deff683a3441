// Checks a CreateRayCluster/UpdateRayCluster body the way the service does (api.md §1.3) and
// keeps the known fields as the stored spec.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>
#include <variant>

#include "emulator/api_error.hpp"

namespace provision::emulator {

// The first problem found (InvalidParameter), or the spec to store: the fields received,
// known ones only (unknown ones dropped as the service ignores them), nothing added, and
// headSpec.gftConfig.redisPassword dropped so that no password is written to disk.
// The seed document marks every field (and the body itself) "Required: No", so any field
// may be absent and an empty body is {}. Rules on fields that are present: name 1-64
// characters; at most 50 worker groups; a groupName non-empty and unique in the cluster;
// replica/minReplica/maxReplica int32 >= 1 and minReplica <= maxReplica;
// idleTimeoutSeconds int32 >= 0; extraParam (top level or per worker group) a string
// holding JSON; every other field of its documented type.
std::variant<boost::json::object, ApiError> validate_cluster_body(std::string_view body);

}  // namespace provision::emulator
