#!/usr/bin/env python3
"""Writes N varied, valid RayCluster spec documents for the benchmarks.

Deterministic for a given --seed. Documents are spread over files of different
shapes (single-document files and multi-document files of 10, 100 and 1,000
documents, separated by `---`), so both loaders see the same realistic mix.
Every identity (regionId, workspaceId, name) is unique, no ${VAR} is used (the
Python peer does not expand variables), and every value passes both the schema
and the emulator's body checks, so the same files serve `validate` and `apply`.

usage: gen_specs.py --count N --out DIR [--seed S] [--layout mixed|single]
         [--workspaces K] [--region R]
"""

import argparse
import os
import random
import sys

REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "ap-southeast-1", "eu-central-1"]
RELEASES = ["ray-1.0.0 (Ray 2.47.1, Python 3.12)", "ray-1.2.0 (Ray 2.55.1, Python 3.12)"]
GPU_TYPES = ["ecs.gn6i-c4g1.xlarge", "ecs.gn7i-c8g1.2xlarge"]


def quote(text):
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def worker_group(rng, index, block_style):
    replica = rng.randint(1, 8)
    low = rng.randint(1, replica)
    high = replica + rng.randint(0, 8)
    cpu = rng.choice([2, 4, 8, 16])
    fields = [
        ("groupName", f"group-{index}"),
        ("workerType", rng.choice(["CPU", "GPU"])),
        ("replica", str(replica)),
        ("queueName", "root_queue"),
        # cpu as an integer or as a quoted string: both are valid.
        ("cpu", str(cpu) if rng.random() < 0.7 else quote(str(cpu))),
        ("memory", f"{cpu * 4}Gi"),
        ("minReplica", str(low)),
        ("maxReplica", str(high)),
    ]
    if rng.random() < 0.3:
        fields.append(("gpuSpec", rng.choice(GPU_TYPES)))
    if rng.random() < 0.3:
        fields.append(("rayStartParams", quote(f"--num-cpus={cpu}")))
    if block_style:
        lines = [f"    - {fields[0][0]}: {fields[0][1]}"]
        lines += [f"      {k}: {v}" for k, v in fields[1:]]
        if rng.random() < 0.3:
            lines.append("      env: |-\n        OMP_NUM_THREADS=4\n        NCCL_DEBUG=INFO")
        return lines
    return ["    - {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}"]


def document(rng, serial, workspace, region):
    block_style = rng.random() < 0.5
    head_cpu = rng.choice([2, 4, 8])
    lines = [
        "apiVersion: provision/v1",
        "kind: RayCluster",
        "metadata:",
        f"  name: bench-{serial:06d}",
        f"  workspaceId: {workspace}",
        f"  regionId: {region}",
        "spec:",
        f"  displayReleaseVersion: {quote(rng.choice(RELEASES))}",
        f"  description: Benchmark cluster {serial}.",
        "  networkServiceName: vpc",
    ]
    if rng.random() < 0.2:
        lines.append(f"  extraParam: {{owner: team-{serial % 17}, costCenter: {quote(str(4000 + serial % 100))}}}")
    head = [
        ("queueName", "root_queue"),
        ("cpu", str(head_cpu)),
        ("memory", f"{head_cpu * 4}Gi"),
        ("enableAutoScaling", "true" if rng.random() < 0.7 else "false"),
        ("idleTimeoutSeconds", str(rng.choice([60, 300, 600]))),
    ]
    if block_style:
        lines.append("  headSpec:")
        lines += [f"    {k}: {v}" for k, v in head]
    else:
        lines.append("  headSpec: {" + ", ".join(f"{k}: {v}" for k, v in head) + "}")
    lines.append("  workerSpec:")
    for g in range(rng.randint(1, 3)):
        lines += worker_group(rng, g + 1, block_style)
    if rng.random() < 0.5:
        lines.append(f"  volumeIds: [vol-{serial:010d}]")
    return "\n".join(lines) + "\n"


def file_sizes(count, layout):
    """How many documents each file holds; sums to count."""
    if layout == "single":
        return [1] * count
    sizes, left = [], count
    for size in [1] * 20 + [10] * 8 + [100] * 4:  # a few small files first
        if left == 0:
            break
        sizes.append(min(size, left))
        left -= sizes[-1]
    while left > 0:  # the rest in 1,000-document files
        sizes.append(min(1000, left))
        left -= sizes[-1]
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layout", choices=["mixed", "single"], default="mixed")
    parser.add_argument("--workspaces", type=int, default=4, help="distinct workspace ids")
    parser.add_argument("--region", help="one region for every document (default: varied)")
    args = parser.parse_args()
    if args.count < 1 or args.workspaces < 1:
        parser.error("--count and --workspaces must be at least 1")
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    serial = 0
    for index, size in enumerate(file_sizes(args.count, args.layout)):
        docs = []
        for _ in range(size):
            workspace = f"w-bench{serial % args.workspaces:04d}"
            region = args.region or REGIONS[serial % len(REGIONS)]
            docs.append(document(rng, serial, workspace, region))
            serial += 1
        with open(os.path.join(args.out, f"specs-{index:04d}.yaml"), "w", encoding="utf-8") as f:
            f.write("---\n".join(docs))
    print(f"gen_specs: {serial} documents in {index + 1} files under {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
