#!/usr/bin/env python3
"""Small helpers for scripts/bench.sh (prints plain values the script captures).

  stats.py hyperfine FILE.json INDEX   -> "median_s user_s" of command INDEX
  stats.py access FILE [FROM_LINE]     -> "requests=N Create=.. Get=.. List=.. other=.."
  stats.py ratio A B                   -> A/B with one decimal
  stats.py callgrind-total FILE        -> total instructions (Ir)
"""

import collections
import json
import statistics
import sys


def hyperfine(path, index):
    result = json.load(open(path))["results"][int(index)]
    print(f"{statistics.median(result['times']):.4f} {result['user']:.4f}")


def access(path, from_line="0"):
    counts = collections.Counter()
    with open(path) as f:
        for number, line in enumerate(f):
            if number >= int(from_line) and line.strip():
                counts[json.loads(line)["action"] or "unmatched"] += 1
    short = {"CreateRayCluster": "Create", "GetRayCluster": "Get", "ListRayCluster": "List"}
    parts = [f"requests={sum(counts.values())}"]
    parts += [f"{short[k]}={counts.get(k, 0)}" for k in short]
    parts.append(f"other={sum(v for k, v in counts.items() if k not in short)}")
    print(" ".join(parts))


def ratio(a, b):
    print(f"{float(a) / float(b):.1f}" if float(b) > 0 else "n/a")


def callgrind_total(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                print(line.split()[1])
                return
    print("0")


def main():
    commands = {"hyperfine": hyperfine, "access": access, "ratio": ratio, "callgrind-total": callgrind_total}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    commands[sys.argv[1]](*sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
