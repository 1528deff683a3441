// The in-memory state: which clusters provision manages, keyed by identity, and
// how far each one got (doc/state-format.md describes the file that holds it).
#pragma once

#include <boost/json/object.hpp>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace provision::state {

// The newest state format this build reads and writes: 2 is a snapshot that may be
// followed by a journal; 1 (a snapshot alone) is still read, and converted on the next save.
constexpr int kFormatVersion = 2;

// Where a cluster is in its life as far as provision knows.
enum class Phase {
  kPendingCreate,  // a Create may have been sent; the outcome is not known yet
  kCreated,        // the cluster exists with `cluster_id`
  kPendingDelete,  // a destroy started (Stop/Delete may have been sent)
};

// "pending-create", "created", "pending-delete".
std::string phase_name(Phase phase);
// The phase for a name, or nothing for an unknown name.
std::optional<Phase> parse_phase(const std::string& name);

// What makes two specs the same cluster: the API has no other stable key before
// a clusterId exists.
struct ClusterIdentity {
  std::string region_id;
  std::string workspace_id;
  std::string name;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy misreads the defaulted comparison
  auto operator<=>(const ClusterIdentity&) const = default;
};

// "name (workspace w-..., region cn-...)" for messages.
std::string describe(const ClusterIdentity& identity);

struct ClusterRecord {
  ClusterIdentity identity;
  std::string cluster_id;   // empty while pending-create
  std::string body_sha256;  // hex SHA-256 of the last body sent (Create or Update)
  // That body with secret values replaced by "***": the "before" of a field-level diff.
  boost::json::object applied_body;
  Phase phase = Phase::kPendingCreate;
  std::string spec_file;   // the spec file as the user named it
  std::string created_at;  // ISO 8601 UTC, when provision first recorded the cluster
  std::string updated_at;  // ISO 8601 UTC, the last change to this record
  bool operator==(const ClusterRecord&) const = default;
};

struct State {
  int format_version = kFormatVersion;
  std::uint64_t serial = 0;  // bumped by every save
  std::string lineage;       // fixed when the state is first created
  std::map<ClusterIdentity, ClusterRecord> clusters;
  bool operator==(const State&) const = default;

  // The record for a cluster name, if exactly one record has it (else nullptr).
  const ClusterRecord* find_by_name(const std::string& name) const;
  // Every record whose name is `name` (names may repeat across workspaces).
  std::size_t count_by_name(const std::string& name) const;
};

}  // namespace provision::state
