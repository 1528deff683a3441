// Typed field access for reading a plan document: each throws Error(kUsage) naming the
// JSON pointer of a missing or mistyped field ("plan file: /actions/0/action: ...").
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "state/cluster_state.hpp"

namespace provision::cli {

const boost::json::value& field_value(const boost::json::object& o, const std::string& key,
                                      const std::string& where);
std::string field_string(const boost::json::object& o, const std::string& key, const std::string& where);
bool field_bool(const boost::json::object& o, const std::string& key, const std::string& where);
std::uint64_t field_uint(const boost::json::object& o, const std::string& key, const std::string& where);
const boost::json::object& field_object(const boost::json::object& o, const std::string& key,
                                        const std::string& where);
const boost::json::array& field_array(const boost::json::object& o, const std::string& key,
                                      const std::string& where);
// {"regionId", "workspaceId", "name"}.
state::ClusterIdentity read_identity(const boost::json::object& o, const std::string& where);

}  // namespace provision::cli
