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

int run_render(const ParsedArgs& args, Context& context) {
  const std::string target = args.get("--to");
  if (target != "kuberay")
    throw Error(ErrorKind::kUsage, target.empty() ? "render needs --to kuberay"
                                                  : "--to expects 'kuberay', got '" + target + "'");
  engine::KubeRayOptions options{args.get("--namespace"), args.get("--image")};
  if (args.has("--namespace") && !engine::is_dns1123_label(options.namespace_name))
    throw Error(ErrorKind::kUsage,
                "--namespace expects a DNS-1123 label (a-z, 0-9, '-'), got '" + options.namespace_name + "'");
  if (args.has("--image") && options.image.empty())
    throw Error(ErrorKind::kUsage, "--image expects an image");
  const auto clusters = load_cluster_specs(args, context);
  std::vector<boost::json::object> manifests;
  Diagnostics diagnostics;
  for (const auto& cluster : clusters) {
    auto rendered = engine::render_kuberay(cluster, options);
    for (auto& d : rendered.diagnostics) diagnostics.push_back(std::move(d));
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
           {"--image", "IMAGE", "every container's image (default: rayproject/ray:<ray>-py<python>)"}},
          run_render};
}

}  // namespace provision::cli
