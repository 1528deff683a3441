// Identifier formats of the service: request ids, Ray cluster ids and instance ids.
#pragma once

#include <string>

#include "core/clock.hpp"

namespace provision::emulator {

// "8CE06D75-E6A2-505D-9B4B-31DEE3D98A04": upper-case hex in 8-4-4-4-12 groups.
std::string make_request_id(Random& random);

// "ray-" followed by 16 characters of [a-z0-9].
std::string make_cluster_id(Random& random);

// The cluster instance id: "<clusterId>-" followed by 8 characters of [a-z0-9].
std::string make_instance_id(const std::string& cluster_id, Random& random);

// True for "w-" followed by one or more of [a-z0-9].
bool is_workspace_id(const std::string& id);

// True for "ray-" followed by 16 characters of [a-z0-9].
bool is_cluster_id(const std::string& id);

}  // namespace provision::emulator
