// Plan files: hashing the inputs, atomic write, and read.
#include "cli/plan_file.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "api/signing/digest.hpp"
#include "core/error.hpp"
#include "spec/embedded_schema.hpp"
#include "spec/input_files.hpp"
#include "state/atomic_file.hpp"

namespace provision::cli {
namespace json = boost::json;
namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kUsage, "cannot read '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void pretty(std::ostream& out, const json::value& v, const std::string& indent) {
  if (v.is_object() && !v.as_object().empty()) {
    out << "{\n";
    bool first = true;
    for (const auto& [key, item] : v.as_object()) {
      out << (first ? "" : ",\n") << indent << "  " << json::serialize(json::value(key)) << ": ";
      pretty(out, item, indent + "  ");
      first = false;
    }
    out << "\n" << indent << "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out << "[\n";
    bool first = true;
    for (const auto& item : v.as_array()) {
      out << (first ? "" : ",\n") << indent << "  ";
      pretty(out, item, indent + "  ");
      first = false;
    }
    out << "\n" << indent << "]";
  } else {
    out << json::serialize(v);
  }
}

}  // namespace

std::vector<SpecFileHash> hash_spec_files(const std::vector<std::string>& paths) {
  Diagnostics ignored;  // load_specs has reported these already
  std::vector<SpecFileHash> out;
  for (const auto& input : spec::expand_inputs(paths, ignored))
    if (!input.is_stdin) out.push_back({input.name, api::hex_sha256(read_bytes(input.name))});
  return out;
}

std::string schema_sha256() { return api::hex_sha256(spec::raycluster_schema_text()); }

PlanProvenance provenance_now(const std::vector<std::string>& paths, const PlanningOptions& planning,
                              const state::StoreIdentity& store, const state::State& state) {
  PlanProvenance p;
  p.provision_version = PROVISION_VERSION;
  p.schema_sha256 = schema_sha256();
  p.store = store;
  p.lineage = state.serial == 0 ? "" : state.lineage;  // a never-saved state has no lineage yet
  p.serial = state.serial;
  p.paths = paths;
  p.spec_files = hash_spec_files(p.paths);
  p.options = planning.plan;
  p.refresh = planning.refresh;
  return p;
}

std::string pretty_json(const json::value& value) {
  std::ostringstream out;
  pretty(out, value, "");
  out << "\n";
  return out.str();
}

void write_plan_file(const std::string& path, const json::value& document) {
  state::replace_file_atomically(path, pretty_json(document), {});
}

json::value read_plan_json(const std::string& path) {
  boost::system::error_code ec;
  json::value v = json::parse(read_bytes(path), ec);
  if (ec) throw Error(ErrorKind::kUsage, "plan file '" + path + "' is not JSON: " + ec.message());
  return v;
}

}  // namespace provision::cli
