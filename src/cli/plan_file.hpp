// Plan files on disk and the facts a plan records about its inputs: spec file hashes,
// the schema hash, the state's identity (never a password: StoreIdentity has none).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "cli/command_options.hpp"
#include "cli/saved_plan.hpp"

namespace provision::cli {

// The SHA-256 of every spec file the PATHs name (directories expanded as load_specs does;
// "-" is skipped: standard input cannot be read again).
std::vector<SpecFileHash> hash_spec_files(const std::vector<std::string>& paths);

// The hex SHA-256 of the RayCluster schema built into this binary.
std::string schema_sha256();

// Provenance of a plan made now from `paths`, `planning` (--refresh, --prune, ...) and `state`.
PlanProvenance provenance_now(const std::vector<std::string>& paths, const PlanningOptions& planning,
                              const state::StoreIdentity& store, const state::State& state);

// Writes `document` to `path` atomically (temp, fsync, rename), pretty-printed.
void write_plan_file(const std::string& path, const boost::json::value& document);

// The parsed document in `path`. Throws Error(kUsage) when unreadable or not JSON.
boost::json::value read_plan_json(const std::string& path);

// Pretty JSON text (two-space indent, one key per line) ending with a newline.
std::string pretty_json(const boost::json::value& value);

}  // namespace provision::cli
