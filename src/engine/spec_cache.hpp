// The no-op cache: what each unchanged spec file yields, without its bodies. An entry is
// keyed by the SHA-256 of the file's bytes (and its name), and the whole cache by the
// provision version and the schema's hash; it holds identities and body hashes only, never
// a body, so it holds no secret. Pure: encoding and decoding, no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/cluster_state.hpp"

namespace provision::engine {

// What makes cached results valid at all: another binary or schema may derive differently.
struct SpecCacheKey {
  std::string version;
  std::string schema_sha256;
};

struct CachedCluster {
  state::ClusterIdentity identity;
  std::string body_sha256;
};

struct CachedFile {
  std::string file_sha256;  // of the file's bytes
  std::string file;         // its name as given
  std::vector<CachedCluster> clusters;
};

class SpecCache {
 public:
  // The entry for these bytes under this name, if any.
  const CachedFile* find(const std::string& file_sha256, const std::string& file) const;
  void put(CachedFile entry);
  std::size_t size() const { return entries_.size(); }

  // One JSON line, then a line with its SHA-256, so any damage is seen.
  std::string encode(const SpecCacheKey& key) const;
  // The cache in `bytes`; empty when they are damaged, or written under another key.
  static SpecCache decode(std::string_view bytes, const SpecCacheKey& key);

 private:
  std::map<std::pair<std::string, std::string>, CachedFile> entries_;
};

}  // namespace provision::engine
