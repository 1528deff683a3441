// Desired clusters for plan and apply, where each spec file unchanged since it was last
// derived comes from the no-op cache (spec_cache.hpp) instead of being parsed: identity
// and body hash only. The plan compares just those hashes with the state for a cluster
// whose record is created and whose workspace is not listed; any other use needs the body,
// so such a plan is made again after derive_cached().
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/plan.hpp"
#include "engine/spec_cache.hpp"
#include "spec/spec_loader.hpp"

namespace provision::engine {

struct SpecCacheContext {
  std::string path;  // the cache file; "" for none
  SpecCacheKey key;
};

// The key of this binary: its version and build-id, and the hash of its embedded schema.
SpecCacheKey current_spec_cache_key();

struct CachedDesired {
  std::vector<DesiredCluster> desired;  // in input order; cached clusters have an empty body
  std::size_t derived_files = 0;        // parsed in this run
  std::size_t cached_files = 0;         // taken from the cache, not parsed (yet)

  // The cached inputs, kept (bytes only) in case their bodies are needed, with the range
  // of `desired` each one fills.
  struct CachedInput {
    spec::SpecText text;
    std::size_t first = 0, count = 0;
  };
  std::vector<CachedInput> cached_inputs;
  // What the cache file should hold now, written by save_spec_cache() once the run got as
  // far as its plan: a run refused before (a damaged state) leaves nothing beside the state.
  std::string cache_path;
  std::optional<std::string> cache_bytes;                         // nullopt: the file is already right
  std::map<state::ClusterIdentity, std::size_t> cached_input_of;  // index into cached_inputs
};

// nullopt when the cache cannot answer for these paths: stdin, an unreadable input, any
// finding in a parsed file, duplicate identities. The caller then loads the ordinary way,
// which reports every finding. A damaged or unreadable cache counts as empty; what it
// should hold now is in cache_bytes (see save_spec_cache).
std::optional<CachedDesired> load_desired_cached(const std::vector<std::string>& paths,
                                                 const spec::LoadOptions& options,
                                                 const SpecCacheContext& cache);

// Writes the cache file (temp file and rename), if it changed; failures are ignored.
void save_spec_cache(CachedDesired& loaded);

// The cached inputs whose clusters `plan` used for more than their hash: an action other
// than no-change, or a listing of the workspace (drift is found by comparing bodies).
std::set<std::size_t> inputs_needing_bodies(const CachedDesired& loaded, const Plan& plan,
                                            const LiveClusters& live);

// Parses these cached inputs, so that their clusters have bodies (same places, same
// identities). Throws Error(kInternal) if a file disagrees with its cache entry.
void derive_cached(CachedDesired& loaded, const std::set<std::size_t>& inputs,
                   const spec::LoadOptions& options);

}  // namespace provision::engine
