// Format: {"format":"provision-spec-cache/1","version":…,"schema":…,"files":[…]}\n<sha256>\n
#include "engine/spec_cache.hpp"

#include <boost/json.hpp>

#include "api/signing/digest.hpp"

namespace provision::engine {
namespace {

namespace json = boost::json;

constexpr std::string_view kFormat = "provision-spec-cache/1";

const json::string& text_at(const json::object& o, std::string_view key) { return o.at(key).as_string(); }

}  // namespace

const CachedFile* SpecCache::find(const std::string& file_sha256, const std::string& file) const {
  auto it = entries_.find({file_sha256, file});
  return it == entries_.end() ? nullptr : &it->second;
}

void SpecCache::put(CachedFile entry) {
  auto key = std::make_pair(entry.file_sha256, entry.file);
  entries_[std::move(key)] = std::move(entry);
}

std::string SpecCache::encode(const SpecCacheKey& key) const {
  json::array files;
  for (const auto& [k, f] : entries_) {
    json::array clusters;
    for (const auto& c : f.clusters)
      clusters.push_back(json::object{{"regionId", c.identity.region_id},
                                      {"workspaceId", c.identity.workspace_id},
                                      {"name", c.identity.name},
                                      {"bodySha256", c.body_sha256}});
    files.push_back(
        json::object{{"sha256", f.file_sha256}, {"file", f.file}, {"clusters", std::move(clusters)}});
  }
  const std::string line = json::serialize(json::object{{"format", kFormat},
                                                        {"version", key.version},
                                                        {"schema", key.schema_sha256},
                                                        {"files", std::move(files)}});
  return line + "\n" + api::hex_sha256(line) + "\n";
}

SpecCache SpecCache::decode(std::string_view bytes, const SpecCacheKey& key) {
  SpecCache cache;
  const std::size_t newline = bytes.find('\n');
  if (newline == std::string_view::npos) return cache;
  const std::string_view line = bytes.substr(0, newline);
  if (bytes.substr(newline + 1) != api::hex_sha256(line) + "\n") return cache;
  try {
    const json::object doc = json::parse(line).as_object();
    if (text_at(doc, "format") != kFormat || text_at(doc, "version") != key.version ||
        text_at(doc, "schema") != key.schema_sha256)
      return cache;
    for (const auto& f : doc.at("files").as_array()) {
      const json::object& o = f.as_object();
      CachedFile entry;
      entry.file_sha256 = text_at(o, "sha256");
      entry.file = text_at(o, "file");
      for (const auto& c : o.at("clusters").as_array()) {
        const json::object& co = c.as_object();
        entry.clusters.push_back({{std::string(text_at(co, "regionId")),
                                   std::string(text_at(co, "workspaceId")), std::string(text_at(co, "name"))},
                                  std::string(text_at(co, "bodySha256"))});
      }
      cache.put(std::move(entry));
    }
  } catch (const std::exception&) {
    return SpecCache{};  // a checksum that matches damaged text is not trusted either
  }
  return cache;
}

}  // namespace provision::engine
