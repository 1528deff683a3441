// The mapping from a loaded spec to a RayCluster: fields, findings and their locations.
#include "engine/kuberay_manifest.hpp"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "spec/spec_loader.hpp"

using namespace provision;
using namespace provision::engine;
namespace json = boost::json;

namespace {

spec::ClusterSpec load_one(const std::string& text) {
  spec::LoadOptions options;
  options.env = [](const std::string&) { return std::optional<std::string>(); };
  auto set = spec::load_spec_text(text, "t.yaml", options);
  for (const auto& d : set.diagnostics) MESSAGE(d.message);
  REQUIRE(set.clusters.size() == 1);
  return set.clusters.front();
}

const char* kHeader =
    "apiVersion: provision/v1\nkind: RayCluster\n"
    "metadata: {name: NAME, workspaceId: w-1, regionId: cn-hangzhou}\n"
    "spec:\n"
    "  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n";

std::string doc(const std::string& name, const std::string& body) {
  std::string s = kHeader;
  s.replace(s.find("NAME"), 4, name);
  return s + body;
}

const Diagnostic* find_code(const Diagnostics& ds, const std::string& code, const std::string& pointer) {
  for (const auto& d : ds)
    if (d.code == code && d.pointer == pointer) return &d;
  return nullptr;
}

}  // namespace

TEST_CASE("resources, versions, autoscaling, env and rayStartParams map across") {
  auto r = render_kuberay(load_one(doc("c1",
                                       "  headSpec: {cpu: 2, memory: 8Gi, enableAutoScaling: true, "
                                       "idleTimeoutSeconds: 60, rayStartParams: --num-cpus=0}\n"
                                       "  workerSpec:\n"
                                       "    - {groupName: g, replica: 2, minReplica: 1, maxReplica: 5, "
                                       "cpu: 4, memory: 16Gi, env: \"A=1\"}\n")),
                          {});
  CHECK_FALSE(has_errors(r.diagnostics));
  const auto& spec = r.manifest.at("spec").as_object();
  CHECK(spec.at("rayVersion") == "2.47.1");
  CHECK(spec.at("enableInTreeAutoscaling") == true);
  CHECK(json::serialize(spec.at("autoscalerOptions")) == R"({"idleTimeoutSeconds":60})");
  const auto& head = spec.at("headGroupSpec").as_object();
  CHECK(json::serialize(head.at("rayStartParams")) == R"({"num-cpus":"0"})");
  const auto& container = head.at("template").at("spec").at("containers").at(0).as_object();
  CHECK(container.at("image") == "rayproject/ray:2.47.1-py312");
  CHECK(json::serialize(container.at("resources")) ==
        R"({"limits":{"cpu":"2","memory":"8Gi"},"requests":{"cpu":"2","memory":"8Gi"}})");
  const auto& worker = spec.at("workerGroupSpecs").at(0).as_object();
  CHECK(worker.at("replicas") == 2);
  CHECK(worker.at("minReplicas") == 1);
  CHECK(worker.at("maxReplicas") == 5);
  CHECK(json::serialize(worker.at("template").at("spec").at("containers").at(0).at("env")) ==
        R"([{"name":"A","value":"1"}])");
  CHECK(r.manifest.at("metadata").at("namespace") == "w-1");
}

TEST_CASE("a worker group without bounds keeps its size, and --image and --namespace win") {
  auto r = render_kuberay(
      load_one(doc("c2", "  headSpec: {cpu: 2}\n  workerSpec: [{groupName: g, replica: 3}]\n")),
      {"team-a", "registry.local/ray:custom"});
  REQUIRE_FALSE(has_errors(r.diagnostics));
  const auto& worker = r.manifest.at("spec").at("workerGroupSpecs").at(0).as_object();
  CHECK(worker.at("minReplicas") == 3);
  CHECK(worker.at("maxReplicas") == 3);
  CHECK(worker.at("template").at("spec").at("containers").at(0).at("image") == "registry.local/ray:custom");
  CHECK(r.manifest.at("metadata").at("namespace") == "team-a");
}

TEST_CASE("fields without an equivalent are located warnings, never silently dropped") {
  auto r = render_kuberay(
      load_one(doc("c3",
                   "  networkServiceName: vpc\n"
                   "  volumeIds: [vol-1]\n"
                   "  headSpec: {queueName: q, cpu: 2}\n"
                   "  workerSpec:\n"
                   "    - {groupName: g, workerType: GPU, gpuSpec: ecs.gn7i, extraParam: {a: b}}\n")),
      {});
  CHECK_FALSE(has_errors(r.diagnostics));
  struct Expected {
    const char* pointer;
    int line;
  };
  for (const auto& e :
       {Expected{"/spec/networkServiceName", 6}, Expected{"/spec/volumeIds", 7},
        Expected{"/spec/headSpec/queueName", 8}, Expected{"/spec/workerSpec/0/workerType", 10},
        Expected{"/spec/workerSpec/0/gpuSpec", 10}, Expected{"/spec/workerSpec/0/extraParam", 10}}) {
    CAPTURE(e.pointer);
    const Diagnostic* d = find_code(r.diagnostics, "render.kuberay.unmapped", e.pointer);
    REQUIRE(d);
    CHECK(d->severity == Severity::kWarning);
    CHECK(d->location.file == "t.yaml");
    CHECK(d->location.line == e.line);
    CHECK(d->location.column > 0);
  }
  CHECK(r.diagnostics.size() == 6);
}

TEST_CASE("the Redis password is a Secret reference, never its value") {
  auto r = render_kuberay(
      load_one(
          doc("c4",
              "  headSpec:\n    cpu: 2\n    gftEnabled: true\n    gftConfig: {redisUrl: \"10.0.0.1:6379\", "
              "redisUsername: default, redisPassword: hunter2-secret}\n")),
      {});
  CHECK_FALSE(has_errors(r.diagnostics));
  const std::string text = json::serialize(r.manifest);
  CHECK(text.find("hunter2-secret") == std::string::npos);
  CHECK(json::serialize(r.manifest.at("spec").at("gcsFaultToleranceOptions")) ==
        R"({"redisAddress":"10.0.0.1:6379","redisUsername":{"value":"default"},)"
        R"("redisPassword":{"valueFrom":{"secretKeyRef":{"name":"c4-gcs-redis","key":"password"}}}})");
  for (const auto& d : r.diagnostics) CHECK(d.message.find("hunter2") == std::string::npos);
  CHECK(find_code(r.diagnostics, "render.kuberay.secret", "/spec/headSpec/gftConfig/redisPassword"));
}

TEST_CASE("a name that is not a DNS-1123 label is a located error and nothing is rendered") {
  auto r = render_kuberay(load_one(doc("Dev_Ray", "  headSpec: {cpu: 2}\n")), {});
  REQUIRE(has_errors(r.diagnostics));
  const Diagnostic* d = find_code(r.diagnostics, "render.kuberay.name", "/metadata/name");
  REQUIRE(d);
  CHECK(d->location.file == "t.yaml");
  CHECK(d->location.line == 3);
  CHECK(d->location.column == 18);
  CHECK(r.manifest.empty());
}

TEST_CASE("without a parsable version an image is needed") {
  const std::string text =
      "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: c5, workspaceId: w-1, regionId: "
      "cn-hangzhou}\n"
      "spec: {displayReleaseVersion: ray-1.0.0, headSpec: {cpu: 2}}\n";
  auto r = render_kuberay(load_one(text), {});
  CHECK(find_code(r.diagnostics, "render.kuberay.version", "/spec/displayReleaseVersion"));
  auto with_image = render_kuberay(load_one(text), {"", "my/ray:1"});
  CHECK_FALSE(has_errors(with_image.diagnostics));
  CHECK_FALSE(with_image.manifest.at("spec").as_object().contains("rayVersion"));
}
