// The cache is an optimisation only: every doubt (damage, another key, a finding, stdin)
// falls back to deriving, and nothing here decides a plan.
#include "engine/cached_desired.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/signing/digest.hpp"
#include "core/error.hpp"
#include "engine/build_id.hpp"
#include "engine/desired_cluster.hpp"
#include "spec/embedded_schema.hpp"
#include "spec/input_files.hpp"

namespace provision::engine {
namespace {

namespace fs = std::filesystem;

std::string read_cache(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return in.bad() ? std::string() : bytes.str();
}

// Temp file and rename: a reader sees the old cache or the new one, never half of one.
// Failing to write only costs the next run its speed.
void write_cache(const std::string& path, const std::string& bytes) {
  const fs::path target(path);
  std::error_code ec;
  if (!fs::is_directory(target.parent_path().empty() ? fs::path(".") : target.parent_path(), ec)) return;
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) {
      fs::remove(temp, ec);
      return;
    }
  }
  fs::rename(temp, target, ec);
  if (ec) fs::remove(temp, ec);
}

// A body that depends on the environment is derived every time.
bool cacheable(const std::string& text) { return text.find("${") == std::string::npos; }

CachedFile entry_for(const std::string& file_sha256, const std::string& name,
                     const std::vector<DesiredCluster>& clusters) {
  CachedFile entry{file_sha256, name, {}};
  for (const auto& d : clusters) entry.clusters.push_back({d.identity, d.body_sha256});
  return entry;
}

DesiredCluster from_cache(const CachedCluster& c, const std::string& file) {
  DesiredCluster d;
  d.identity = c.identity;
  d.spec_file = file;
  d.body_sha256 = c.body_sha256;
  return d;
}

// The clusters of `set` (no findings) split per input, in order.
std::vector<std::vector<DesiredCluster>> desired_per_input(const spec::SpecSet& set,
                                                           const std::vector<spec::SpecText>& texts) {
  std::vector<std::vector<DesiredCluster>> out(texts.size());
  std::size_t input = 0;
  for (const auto& cluster : set.clusters) {
    while (input < texts.size() && texts[input].name != cluster.location.file) ++input;
    if (input == texts.size())
      throw Error(ErrorKind::kInternal, "spec loading returned clusters out of order");
    out[input].push_back(desired_from_spec(cluster));
  }
  return out;
}

// Bodies need no positions: dropping each document's source map early lowers the peak.
spec::LoadOptions without_source_maps(spec::LoadOptions options) {
  options.keep_source_maps = false;
  return options;
}

bool has_duplicates(const std::vector<DesiredCluster>& desired) {
  std::set<state::ClusterIdentity> seen;
  for (const auto& d : desired)
    if (!seen.insert(d.identity).second) return true;
  return false;
}

// Every input, read; nullopt on anything the ordinary load must report, and for stdin,
// which can be read only once.
std::optional<std::vector<spec::SpecText>> read_inputs(const std::vector<std::string>& paths,
                                                       const spec::LoadOptions& options) {
  Diagnostics problems;
  const std::vector<spec::InputFile> inputs = spec::expand_inputs(paths, problems);
  if (!problems.empty()) return std::nullopt;
  std::vector<spec::SpecText> texts;
  for (const auto& input : inputs) {
    if (input.is_stdin) return std::nullopt;
    auto text = spec::read_input(input, nullptr, options.limits.max_bytes, problems);
    if (!text) return std::nullopt;
    texts.push_back({input.name, std::move(*text)});
  }
  return texts;
}

// The clusters of a cache hit, bodiless, with the text kept in case they are needed.
void add_cached(CachedDesired& out, spec::SpecText text, const CachedFile& hit) {
  CachedDesired::CachedInput kept{std::move(text), out.desired.size(), hit.clusters.size()};
  for (const auto& c : hit.clusters) {
    out.desired.push_back(from_cache(c, kept.text.name));
    out.cached_input_of[c.identity] = out.cached_inputs.size();
  }
  out.cached_inputs.push_back(std::move(kept));
  ++out.cached_files;
}

}  // namespace

SpecCacheKey current_spec_cache_key() {
  return {std::string(PROVISION_VERSION) + "+" + executable_build_id(),
          api::hex_sha256(spec::raycluster_schema_text())};
}

std::optional<CachedDesired> load_desired_cached(const std::vector<std::string>& paths,
                                                 const spec::LoadOptions& options,
                                                 const SpecCacheContext& cache) {
  std::optional<std::vector<spec::SpecText>> read = read_inputs(paths, options);
  if (!read) return std::nullopt;
  std::vector<spec::SpecText>& texts = *read;
  const std::string old_bytes = cache.path.empty() ? std::string() : read_cache(cache.path);
  const SpecCache old = SpecCache::decode(old_bytes, cache.key);

  // Which inputs the cache answers for; the others are parsed, all together.
  std::vector<std::string> hashes(texts.size());
  std::vector<const CachedFile*> hits(texts.size(), nullptr);
  std::vector<spec::SpecText> misses;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    // A missed text is needed only to parse it: moved, its name stays.
    if (!cacheable(texts[i].text)) {
      misses.push_back({texts[i].name, std::move(texts[i].text)});
      continue;
    }
    hashes[i] = api::hex_sha256(texts[i].text);
    hits[i] = old.find(hashes[i], texts[i].name);
    if (!hits[i]) misses.push_back({texts[i].name, std::move(texts[i].text)});
  }
  std::vector<std::vector<DesiredCluster>> derived;
  {
    spec::SpecSet parsed = spec::load_spec_texts(misses, without_source_maps(options));
    if (!parsed.diagnostics.empty()) return std::nullopt;
    derived = desired_per_input(parsed, misses);
    misses.clear();
  }

  CachedDesired out;
  SpecCache next;
  std::size_t miss = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (hits[i]) {
      add_cached(out, std::move(texts[i]), *hits[i]);
      next.put(*hits[i]);
      continue;
    }
    std::vector<DesiredCluster>& clusters = derived[miss++];
    if (!hashes[i].empty()) next.put(entry_for(hashes[i], texts[i].name, clusters));
    for (auto& d : clusters) out.desired.push_back(std::move(d));
    ++out.derived_files;
  }
  if (has_duplicates(out.desired)) return std::nullopt;
  // Every input answered by the cache, and nothing else in it: the file is already right.
  const bool unchanged = out.cached_files == texts.size() && next.size() == old.size();
  out.cache_path = cache.path;
  if (!cache.path.empty() && !unchanged) {
    std::string bytes = next.encode(cache.key);
    if (bytes != old_bytes) out.cache_bytes = std::move(bytes);
  }
  return out;
}

void save_spec_cache(CachedDesired& loaded) {
  if (!loaded.cache_bytes) return;
  write_cache(loaded.cache_path, *loaded.cache_bytes);
  loaded.cache_bytes.reset();
}

std::set<std::size_t> inputs_needing_bodies(const CachedDesired& loaded, const Plan& plan,
                                            const LiveClusters& live) {
  std::set<std::size_t> inputs;
  for (const auto& a : plan.actions) {
    auto it = loaded.cached_input_of.find(a.identity);
    if (it == loaded.cached_input_of.end()) continue;
    if (a.kind != ActionKind::kNoChange ||
        live.count(WorkspaceKey{a.identity.region_id, a.identity.workspace_id}))
      inputs.insert(it->second);
  }
  return inputs;
}

void derive_cached(CachedDesired& loaded, const std::set<std::size_t>& inputs,
                   const spec::LoadOptions& options) {
  std::vector<spec::SpecText> texts;
  for (std::size_t i : inputs) texts.push_back(loaded.cached_inputs.at(i).text);
  if (texts.empty()) return;
  const spec::SpecSet parsed = spec::load_spec_texts(texts, without_source_maps(options));
  const auto disagree = [](const std::string& file) {
    return Error(ErrorKind::kInternal,
                 "the spec cache disagrees with " + file + "; delete the cache file and run again");
  };
  if (!parsed.diagnostics.empty()) throw disagree(texts.front().name);
  std::vector<std::vector<DesiredCluster>> derived = desired_per_input(parsed, texts);
  std::size_t n = 0;
  for (std::size_t i : inputs) {
    CachedDesired::CachedInput& input = loaded.cached_inputs[i];
    std::vector<DesiredCluster>& clusters = derived[n++];
    if (clusters.size() != input.count) throw disagree(input.text.name);
    for (std::size_t k = 0; k < input.count; ++k) {
      DesiredCluster& slot = loaded.desired[input.first + k];
      if (slot.identity != clusters[k].identity || slot.body_sha256 != clusters[k].body_sha256)
        throw disagree(input.text.name);
      loaded.cached_input_of.erase(slot.identity);
      slot = std::move(clusters[k]);
    }
    input.text = {};
    ++loaded.derived_files;
    --loaded.cached_files;
  }
}

}  // namespace provision::engine
