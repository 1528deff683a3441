#!/usr/bin/env bash
# Runs every test: installs dependencies; builds the normal and the ASan+UBSan flavours
# and runs the whole ctest suite in each. First it runs the fuzz targets (clang-14,
# libFuzzer, ASan+UBSan): regression inputs and a fixed-seed run of fixed length.
# Exits non-zero on any failure.
#   scripts/test.sh                 everything
#   scripts/test.sh release|asan    one flavour's ctest suite only (no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# PROVISION_FUZZ=0 skips it (e.g. a quick local run).
if [ $# -eq 0 ] && [ "${PROVISION_FUZZ:-1}" != 0 ]; then
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
