// State migration: both locks, one commit into the target, the source untouched.
#include "cli/state_migrate.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <ostream>

#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "state/connection_uri.hpp"
#include "state/local_store.hpp"
#include "state/store_factory.hpp"

namespace provision::cli {
namespace {

std::string location_or_default(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("PROVISION_STATE");
  return env && *env ? env : state::kDefaultStatePath;
}

std::string state_name(const StateCommandOptions& o) {
  std::string name = o.state.name.value_or("");
  if (name.empty()) {
    const char* env = std::getenv("PROVISION_STATE_NAME");
    name = env && *env ? env : state::kDefaultStateName;
  }
  return name;
}

// The store at `location`; the state name applies where the store holds many.
std::unique_ptr<state::StateStore> store_at(const std::string& location, const StateCommandOptions& o,
                                            Context& ctx) {
  return open_store_at(location, state::is_postgres_uri(location) ? state_name(o) : state::kDefaultStateName,
                       ctx);
}

}  // namespace

int migrate_state(const StateCommandOptions& o, Context& ctx) {
  if (o.words.size() != 1 || !o.to)
    throw Error(ErrorKind::kUsage, "usage: provision state migrate --to LOCATION [--from LOCATION]");
  SystemClock clock;
  OsRandom random;
  auto source = store_at(location_or_default(o.from.value_or(o.state.location.value_or(""))), o, ctx);
  auto target = store_at(*o.to, o, ctx);
  const std::string from = state::describe(source->identity());
  const std::string to = state::describe(target->identity());
  if (from == to) throw Error(ErrorKind::kUsage, "migrate needs two different stores; both are " + from);
  auto source_lock = lock_store(*source, o.state, "provision state migrate", clock);
  auto target_lock = lock_store(*target, o.state, "provision state migrate", clock);
  const state::State s = source->load(random);
  state::State t = target->load(random);
  if (!t.clusters.empty())
    throw Error(ErrorKind::kState, to + " already holds " + std::to_string(t.clusters.size()) +
                                       " clusters; migrate only fills an empty state (nothing was copied)");
  // A new target keeps the source's lineage: it is the same state, moved.
  if (t.serial == 0) t.lineage = s.lineage;
  target->commit(t, state::changes_from(s));
  if (ctx.format == OutputFormat::kJson) {
    boost::json::object doc{
        {"type", "migrated"}, {"from", from}, {"to", to}, {"clusters", s.clusters.size()}};
    ctx.out << boost::json::serialize(doc) << "\n";
  } else {
    ctx.out << "Copied " << s.clusters.size() << (s.clusters.size() == 1 ? " cluster" : " clusters")
            << " from " << from << " to " << to
            << ".\nThe source was left as it was; point --state (or PROVISION_STATE) at "
            << "the new store, and remove the old one when you no longer need it.\n";
  }
  return 0;
}

}  // namespace provision::cli
