#!/usr/bin/env bash
# The main job: builds provision, then validates the example specs and shows the
# exact API requests they become (a dry run: nothing is sent, no credentials needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release >/dev/null
bin=build/src/provision
echo "== provision validate specs/examples/"
"$bin" validate specs/examples/
echo
echo "== provision apply --dry-run specs/examples/"
"$bin" apply --dry-run specs/examples/
