// `provision render --to kuberay PATH...`: the same specs as KubeRay RayCluster manifests.
#include <boost/json/serialize.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/manifest_yaml.hpp"
#include "cli/spec_inputs.hpp"
#include "core/error.hpp"
#include "engine/kuberay_fields.hpp"
#include "engine/kuberay_manifest.hpp"

namespace provision::cli {
namespace {

// The render options that would fix a finding (the engine names no options).
void add_option_hint(Diagnostic& d) {
  if (d.code == "render.kuberay.version")
    d.hint = d.hint.empty() ? "or pass --image" : d.hint + ", or pass --image";
  if (d.code == "render.kuberay.namespace") d.hint = "pass --namespace";
}

int run_render(const RenderOptions& o, Context& context) {
  const std::string target = o.to.value_or("");
  if (target != "kuberay")
    throw Error(ErrorKind::kUsage, target.empty() ? "render needs --to kuberay"
                                                  : "--to expects 'kuberay', got '" + target + "'");
  engine::KubeRayOptions options{o.namespace_name.value_or(""), o.image.value_or("")};
  if (o.namespace_name && !engine::is_dns1123_label(options.namespace_name))
    throw Error(ErrorKind::kUsage,
                "--namespace expects a DNS-1123 label (a-z, 0-9, '-'), got '" + options.namespace_name + "'");
  if (o.image && options.image.empty()) throw Error(ErrorKind::kUsage, "--image expects an image");
  const auto clusters = load_cluster_specs(o.paths, context);
  std::vector<boost::json::object> manifests;
  Diagnostics diagnostics;
  for (const auto& cluster : clusters) {
    auto rendered = engine::render_kuberay(cluster, options);
    for (auto& d : rendered.diagnostics) {
      add_option_hint(d);
      diagnostics.push_back(std::move(d));
    }
    manifests.push_back(std::move(rendered.manifest));
  }
  // Findings go to stderr in both formats: stdout holds only manifests.
  print_diagnostics(diagnostics, context.format == OutputFormat::kJson, context.color, context.err,
                    context.err);
  if (has_errors(diagnostics)) {
    std::size_t errors = 0;
    for (const auto& d : diagnostics) errors += d.severity == Severity::kError ? 1 : 0;
    throw Error(ErrorKind::kInvalidSpec,
                std::to_string(errors) + (errors == 1 ? " error" : " errors") + ": nothing rendered");
  }
  for (const auto& manifest : manifests) {
    if (context.format == OutputFormat::kJson)
      context.out << boost::json::serialize(manifest) << "\n";
    else
      context.out << "---\n" << to_yaml_text(manifest) << "\n";
  }
  return 0;
}

}  // namespace

Command make_render_command() {
  return {"render",
          "print the specs as KubeRay RayCluster manifests (ray.io/v1), nothing sent",
          "provision render --to kuberay [--namespace NS] [--image IMAGE] [options] PATH...",
          "PATH is as for validate. Prints one RayCluster per spec: multi-document YAML, or\n"
          "with --output json one manifest per line. Fields with no KubeRay equivalent are\n"
          "warnings on stderr; the Redis password becomes a Secret reference, never a value.\n"
          "A name that is not a DNS-1123 label is an error (exit 4). See doc/kuberay.md.",
          {{"--to", "TARGET", "what to render: kuberay"},
           {"--namespace", "NS", "metadata.namespace (default: the spec's workspaceId)"},
           {"--image", "IMAGE", "every container's image (default: rayproject/ray:<ray>-py<python>)"}}};
}

int run(const RenderOptions& options, Context& context) { return run_render(options, context); }

}  // namespace provision::cli
