#!/usr/bin/env bash
# Runs every test: installs dependencies; checks the C++ format; builds the normal and the ASan+UBSan flavours
# and runs the whole ctest suite in each. First it replays every fuzz target's regression
# inputs and seeds (clang-14, libFuzzer, ASan+UBSan); PROVISION_FUZZ=1 also fuzzes.
# Exits non-zero on any failure.
#   scripts/test.sh                 everything
#   scripts/test.sh release|asan    one flavour's ctest suite only (no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Formatting first: it takes a second, and a build of an unformatted tree is wasted.
echo "== clang-format --dry-run -Werror"
bash scripts/check-format.sh
# Fuzz targets: every regression input and seed, replayed (deterministic). PROVISION_FUZZ=1
# also fuzzes for a fixed number of runs per target (scripts/fuzz.sh --ci); that run is not
# reproducible from one machine to the next, so it is not a gate. PROVISION_FUZZ=0 skips both.
if [ $# -eq 0 ] && [ "${PROVISION_FUZZ:-}" != 0 ]; then
  echo "== fuzz targets: regressions and seeds"
  bash scripts/fuzz.sh --replay
  if [ "${PROVISION_FUZZ:-}" = 1 ]; then
    echo "== fuzzing (fixed run count)"
    bash scripts/fuzz.sh --ci
  fi
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
