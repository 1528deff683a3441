// clusters.json: {"version":1,"clusters":[<record>...]}.
#include "emulator/cluster_store.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/error.hpp"
#include "emulator/atomic_file.hpp"

namespace provision::emulator {
namespace {

namespace json = boost::json;
constexpr std::int64_t kFormatVersion = 1;

[[noreturn]] void damaged(const std::filesystem::path& file, const std::string& why) {
  throw Error(ErrorKind::kState, "cluster store " + file.string() + ": " + why);
}

}  // namespace

void ClusterStore::load() {
  if (file_.empty()) return;
  auto text = read_file_if_exists(file_);
  if (!text) return;
  boost::system::error_code ec;
  json::value doc = json::parse(*text, ec);
  if (ec) damaged(file_, "not valid JSON (" + ec.message() + ")");
  const json::object* root = doc.if_object();
  const json::value* version = root ? root->if_contains("version") : nullptr;
  if (!version || !version->is_int64()) damaged(file_, "no format version");
  if (version->get_int64() != kFormatVersion)
    damaged(file_,
            "format version " + std::to_string(version->get_int64()) + " is not supported (expected 1)");
  const json::value* clusters = root->if_contains("clusters");
  if (!clusters || !clusters->is_array()) damaged(file_, "no \"clusters\" array");
  clusters_.clear();
  std::size_t index = 0;
  for (const json::value& item : clusters->get_array()) {
    auto record = record_from_json(item);
    if (!record) damaged(file_, "cluster #" + std::to_string(index) + " is damaged");
    next_sequence_ = std::max(next_sequence_, record->sequence + 1);
    std::string id = record->cluster_id;
    clusters_.emplace(std::move(id), std::move(*record));
    ++index;
  }
}

void ClusterStore::save() const {
  if (file_.empty()) return;
  json::array clusters;
  for (const auto& [id, record] : clusters_) clusters.push_back(record_to_json(record));
  json::object root;
  root["version"] = kFormatVersion;
  root["clusters"] = std::move(clusters);
  write_file_atomically(file_, json::serialize(root) + "\n", 0644);
}

ClusterRecord* ClusterStore::find(const std::string& workspace_id, const std::string& cluster_id) {
  auto it = clusters_.find(cluster_id);
  if (it == clusters_.end() || it->second.workspace_id != workspace_id) return nullptr;
  return &it->second;
}

std::vector<const ClusterRecord*> ClusterStore::list(const std::string& workspace_id) const {
  std::vector<const ClusterRecord*> out;
  for (const auto& [id, record] : clusters_)
    if (record.workspace_id == workspace_id) out.push_back(&record);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->sequence < b->sequence; });
  return out;
}

ClusterRecord& ClusterStore::insert(ClusterRecord record) {
  record.sequence = next_sequence_++;
  std::string id = record.cluster_id;
  return clusters_.insert_or_assign(std::move(id), std::move(record)).first->second;
}

void ClusterStore::erase(const std::string& cluster_id) { clusters_.erase(cluster_id); }

bool ClusterStore::settle(std::int64_t now_ms) {
  bool changed = false;
  for (auto& [id, r] : clusters_) {
    if (now_ms < r.transition_due_ms) continue;
    if (r.state == ClusterState::kStarting) {
      r.state = ClusterState::kRunning;
      changed = true;
    } else if (r.state == ClusterState::kStopping) {
      r.state = ClusterState::kStopped;
      changed = true;
    }
  }
  return changed;
}

}  // namespace provision::emulator
