// `provision apply`: for now only --dry-run (show the exact requests, send nothing).
#include "cli/command.hpp"
#include "cli/dry_run.hpp"
#include "cli/not_implemented.hpp"
#include "cli/spec_inputs.hpp"

namespace provision::cli {

Command make_apply_command() {
  return {"apply",
          "create the clusters described by the specs (--dry-run: show the requests only)",
          "provision apply [options] PATH...",
          "PATH is a spec file, a directory (searched recursively for *.yaml and *.yml) or -\n"
          "for standard input. With --dry-run nothing is sent and no credentials are needed:\n"
          "each cluster's method, full URL, headers and exact body are printed (secrets as\n"
          "\"***\"); with --output json, one object per line:\n"
          "{\"action\":…,\"method\":…,\"url\":…,\"headers\":{…},\"body\":{…}}.",
          {{"--dry-run", "", "print the API requests instead of sending them"}},
          [](const ParsedArgs& args, Context& context) {
            if (!args.has("--dry-run")) return not_implemented("apply without --dry-run");
            auto clusters = load_cluster_specs(args, context);
            print_dry_run(clusters, context.format == OutputFormat::kJson, context.out);
            return 0;
          }};
}

}  // namespace provision::cli
