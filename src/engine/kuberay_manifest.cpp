// The mapping itself; the parsers of its string fields live in kuberay_fields.cpp.
#include "engine/kuberay_manifest.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <tuple>
#include <vector>

#include "engine/kuberay_fields.hpp"

namespace provision::engine {
namespace {

namespace json = boost::json;

// One manifest under construction, with the findings about the spec it comes from.
class Renderer {
 public:
  Renderer(const spec::ClusterSpec& cluster, const KubeRayOptions& options)
      : cluster_(cluster), options_(options) {}

  KubeRayManifest run() {
    json::object metadata = render_metadata();
    json::object spec;
    const json::object& source = cluster_.spec;
    const json::object empty;
    const json::object& head = object_at(source, "headSpec", empty);
    std::optional<RayRelease> release;
    if (auto* v = string_at(source, "displayReleaseVersion"))
      release = release_at(*v, "/spec/displayReleaseVersion");
    if (!release)
      if (auto* v = string_at(head, "displayReleaseVersion"))
        release = release_at(*v, "/spec/headSpec/displayReleaseVersion");
    cluster_release_ = release;
    if (release) spec["rayVersion"] = release->ray;
    for (const char* key : {"networkServiceName", "extraParam", "volumeIds"})
      if (source.contains(key)) unmapped(std::string("/spec/") + key, "");
    render_autoscaling(head, spec);
    render_fault_tolerance(head, spec);
    spec["headGroupSpec"] = render_head(head);
    json::array groups;
    if (auto* workers = source.if_contains("workerSpec"); workers && workers->is_array())
      for (std::size_t i = 0; i < workers->as_array().size(); ++i)
        groups.push_back(render_worker(workers->as_array()[i].as_object(), i));
    if (!groups.empty()) spec["workerGroupSpecs"] = std::move(groups);

    KubeRayManifest result;
    result.diagnostics = std::move(diagnostics_);
    std::stable_sort(
        result.diagnostics.begin(), result.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
          return std::tie(a.location.line, a.location.column) < std::tie(b.location.line, b.location.column);
        });
    if (has_errors(result.diagnostics)) return result;
    result.manifest = {{"apiVersion", "ray.io/v1"}, {"kind", "RayCluster"}};
    result.manifest["metadata"] = std::move(metadata);
    result.manifest["spec"] = std::move(spec);
    return result;
  }

 private:
  static const json::object& object_at(const json::object& o, const char* key, const json::object& fallback) {
    const json::value* v = o.if_contains(key);
    return v && v->is_object() ? v->as_object() : fallback;
  }
  static const json::string* string_at(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? &v->as_string() : nullptr;
  }

  void add(Severity severity, const std::string& code, const std::string& pointer, std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.code = code;
    // An error is about the value; a warning about the field as a whole.
    d.location = severity == Severity::kError ? cluster_.source.value_location(pointer)
                                              : cluster_.source.key_location(pointer);
    if (d.location.file.empty()) d.location = cluster_.location;
    d.pointer = pointer;
    d.message = std::move(message);
    diagnostics_.push_back(std::move(d));
  }

  void unmapped(const std::string& pointer, const std::string& why) {
    add(Severity::kWarning, "render.kuberay.unmapped", pointer,
        "no KubeRay equivalent, left out of the manifest" + (why.empty() ? "" : " (" + why + ")"));
  }

  std::optional<RayRelease> release_at(const json::string& text, const std::string& pointer) {
    auto release = parse_release_version(text);
    if (!release && options_.image.empty())
      add(Severity::kError, "render.kuberay.version", pointer,
          "expected '... (Ray X.Y.Z, Python X.Y)' to choose the image, got '" + std::string(text) + "'");
    return release;
  }
  void add(Severity severity, const std::string& code, const std::string& pointer, std::string message,
           std::string hint) {
    add(severity, code, pointer, std::move(message));
    diagnostics_.back().hint = std::move(hint);
  }

  json::object render_metadata() {
    json::object metadata;
    if (!is_dns1123_label(cluster_.name))
      add(Severity::kError, "render.kuberay.name", "/metadata/name",
          "a RayCluster name must be a DNS-1123 label (1 to 63 of a-z, 0-9 and '-', starting and ending "
          "with a letter or digit), got '" +
              cluster_.name + "'");
    metadata["name"] = cluster_.name;
    std::string ns = options_.namespace_name.empty() ? cluster_.workspace_id : options_.namespace_name;
    if (options_.namespace_name.empty() && !is_dns1123_label(ns))
      add(Severity::kError, "render.kuberay.namespace", "/metadata/workspaceId",
          "the workspaceId becomes the namespace, which must be a DNS-1123 label, got '" + ns + "'");
    metadata["namespace"] = ns;
    json::object annotations{{"provision/region-id", cluster_.region_id}};
    if (auto* description = string_at(cluster_.spec, "description"))
      annotations["provision/description"] = *description;
    metadata["annotations"] = std::move(annotations);
    return metadata;
  }

  void render_autoscaling(const json::object& head, json::object& spec) {
    if (auto* v = head.if_contains("enableAutoScaling"); v && v->is_bool())
      spec["enableInTreeAutoscaling"] = v->as_bool();
    if (auto* v = head.if_contains("idleTimeoutSeconds"); v && v->is_int64()) {
      const std::int64_t seconds = v->as_int64();
      if (seconds < 0 || seconds > std::numeric_limits<std::int32_t>::max())
        add(Severity::kError, "render.kuberay.range", "/spec/headSpec/idleTimeoutSeconds",
            "autoscalerOptions.idleTimeoutSeconds is a 32-bit integer, got " + std::to_string(seconds));
      spec["autoscalerOptions"] = json::object{{"idleTimeoutSeconds", seconds}};
    }
  }

  void render_fault_tolerance(const json::object& head, json::object& spec) {
    const json::value* enabled = head.if_contains("gftEnabled");
    const bool on = enabled && enabled->is_bool() && enabled->as_bool();
    const json::object empty;
    const json::object& config = object_at(head, "gftConfig", empty);
    if (!on) {
      if (head.contains("gftConfig")) unmapped("/spec/headSpec/gftConfig", "gftEnabled is not true");
      return;
    }
    json::object gcs;
    if (auto* url = string_at(config, "redisUrl"))
      gcs["redisAddress"] = *url;
    else
      add(Severity::kWarning, "render.kuberay.redis", "/spec/headSpec/gftEnabled",
          "GCS fault tolerance without gftConfig.redisUrl: KubeRay needs a redisAddress");
    if (auto* user = string_at(config, "redisUsername"))
      gcs["redisUsername"] = json::object{{"value", *user}};
    if (config.contains("redisPassword")) {
      const std::string secret = redis_secret_name(cluster_.name);
      gcs["redisPassword"] = json::object{
          {"valueFrom", json::object{{"secretKeyRef", {{"name", secret}, {"key", "password"}}}}}};
      add(Severity::kWarning, "render.kuberay.secret", "/spec/headSpec/gftConfig/redisPassword",
          "the password is not rendered: the manifest refers to Secret '" + secret + "', key 'password'",
          "create it with kubectl create secret generic " + secret + " --from-literal=password=...");
    }
    spec["gcsFaultToleranceOptions"] = std::move(gcs);
  }

  // What the head and the worker groups share: image, resources, env, rayStartParams.
  json::object render_container(const json::object& group, const std::string& at, const char* name,
                                json::object& group_spec) {
    json::object container{{"name", name}, {"image", image_for(group, at)}};
    json::object quantities;
    for (const char* key : {"cpu", "memory"})
      if (auto* v = string_at(group, key)) quantities[key] = *v;
    if (!quantities.empty())
      container["resources"] = json::object{{"limits", quantities}, {"requests", quantities}};
    if (auto* v = string_at(group, "env")) {
      std::vector<std::string> ignored;
      json::array env = parse_env_lines(*v, ignored);
      for (const auto& line : ignored)
        add(Severity::kWarning, "render.kuberay.env", at + "/env",
            "not a KEY=VALUE line, left out: '" + line + "'");
      if (!env.empty()) container["env"] = std::move(env);
    }
    json::object params;
    if (auto* v = string_at(group, "rayStartParams")) {
      std::vector<std::string> ignored;
      params = parse_ray_start_params(*v, ignored);
      for (const auto& token : ignored)
        add(Severity::kWarning, "render.kuberay.ray_start_params", at + "/rayStartParams",
            "not a --option or its value, left out: '" + token + "'");
    }
    group_spec["rayStartParams"] = std::move(params);
    for (const char* key : {"queueName", "workerType", "extraParam"})
      if (group.contains(key)) unmapped(at + "/" + key, "");
    if (auto* v = string_at(group, "gpuSpec"))
      unmapped(at + "/gpuSpec", "the GPU count of instance type '" + std::string(*v) +
                                    "' is unknown; add an nvidia.com/gpu limit by hand");
    return container;
  }

  std::string image_for(const json::object& group, const std::string& at) {
    if (!options_.image.empty()) return options_.image;
    std::optional<RayRelease> release = cluster_release_;
    if (auto* v = string_at(group, "displayReleaseVersion"); v && at != "/spec/headSpec") {
      release = release_at(*v, at + "/displayReleaseVersion");
      if (release && cluster_release_ && release->ray != cluster_release_->ray)
        add(Severity::kWarning, "render.kuberay.version_mismatch", at + "/displayReleaseVersion",
            "Ray " + release->ray + " differs from the cluster's rayVersion " + cluster_release_->ray);
    }
    if (release) return default_ray_image(*release);
    if (at == "/spec/headSpec")
      add(Severity::kError, "render.kuberay.version", "/spec",
          "no displayReleaseVersion to choose the image from", "set one");
    return {};
  }

  json::object render_head(const json::object& head) {
    json::object group;
    json::object container = render_container(head, "/spec/headSpec", "ray-head", group);
    container["ports"] = json::array{
        json::object{{"containerPort", 6379}, {"name", "gcs-server"}},
        json::object{{"containerPort", 8265}, {"name", "dashboard"}},
        json::object{{"containerPort", 10001}, {"name", "client"}},
    };
    group["template"] =
        json::object{{"spec", json::object{{"containers", json::array{std::move(container)}}}}};
    return group;
  }

  json::object render_worker(const json::object& worker, std::size_t index) {
    const std::string at = "/spec/workerSpec/" + std::to_string(index);
    json::object group;
    if (auto* name = string_at(worker, "groupName")) {
      group["groupName"] = *name;
    } else {
      group["groupName"] = "group-" + std::to_string(index);
      add(Severity::kWarning, "render.kuberay.group_name", at,
          "no groupName; KubeRay needs one, rendered as 'group-" + std::to_string(index) + "'");
    }
    auto integer = [&](const char* key) -> std::optional<std::int64_t> {
      const json::value* v = worker.if_contains(key);
      return v && v->is_int64() ? std::optional<std::int64_t>(v->as_int64()) : std::nullopt;
    };
    // A group without autoscaling bounds keeps its size: min = max = replicas.
    const std::int64_t replicas = integer("replica").value_or(1);
    const std::int64_t min = integer("minReplica").value_or(replicas);
    const std::int64_t max = integer("maxReplica").value_or(std::max(replicas, min));
    group["replicas"] = replicas;
    group["minReplicas"] = min;
    group["maxReplicas"] = max;
    json::object container = render_container(worker, at, "ray-worker", group);
    group["template"] =
        json::object{{"spec", json::object{{"containers", json::array{std::move(container)}}}}};
    return group;
  }

  const spec::ClusterSpec& cluster_;
  const KubeRayOptions& options_;
  std::optional<RayRelease> cluster_release_;
  Diagnostics diagnostics_;
};

}  // namespace

std::string redis_secret_name(const std::string& name) { return name + "-gcs-redis"; }

KubeRayManifest render_kuberay(const spec::ClusterSpec& cluster, const KubeRayOptions& options) {
  return Renderer(cluster, options).run();
}

}  // namespace provision::engine
