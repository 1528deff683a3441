#!/usr/bin/env bash
# Runs every test: installs dependencies, builds the normal and the ASan+UBSan
# flavours, and runs the whole ctest suite in each. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
flavours=("${@:-release asan}")
for flavour in ${flavours[*]}; do
  echo "== building ($flavour)"
  bash scripts/build.sh "$flavour"
  dir=build; [ "$flavour" = asan ] && dir=build-asan
  echo "== testing ($flavour)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
done
