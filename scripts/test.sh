#!/usr/bin/env bash
# Runs every test: installs dependencies; runs the fuzz targets (clang-14, libFuzzer,
# ASan+UBSan) on their regression inputs and a reproducible fixed-seed run; builds the
# normal and the ASan+UBSan flavours and runs the whole ctest suite in each.
# Exits non-zero on any failure.
#   scripts/test.sh                 everything
#   scripts/test.sh release|asan    one flavour's ctest suite only (no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ $# -eq 0 ] && [ -z "${PROVISION_SKIP_FUZZ:-}" ]; then
  echo "== fuzzing (fixed seed)"
  bash scripts/fuzz.sh --ci
fi
flavours=("${@:-release asan}")
for flavour in ${flavours[*]}; do
  echo "== building ($flavour)"
  bash scripts/build.sh "$flavour"
  dir=build; [ "$flavour" = asan ] && dir=build-asan
  echo "== testing ($flavour)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
done
