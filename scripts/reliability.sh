#!/usr/bin/env bash
# Runs the reliability scenarios (tests/reliability/: fault matrix, kill -9 trials,
# concurrency, state torture, hostile servers, TLS) against the real binaries and prints
# the figures each scenario reports (its `RELIABILITY ...` lines) for doc/reliability.md.
#   scripts/reliability.sh                 short variants (what CI runs), release build
#   scripts/reliability.sh --long          long variants (PROVISION_LONG=1): the issue's sizes
#   scripts/reliability.sh [--long] [--asan] [doctest filters, e.g. -tc='*fault*']
# Exit status: that of the test run. Output: build*/reliability/<mode>.log and .figures.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=short flavour=release
filters=()
for arg in "$@"; do
  case "$arg" in
    --long) mode=long ;;
    --asan) flavour=asan ;;
    -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) filters+=("$arg") ;;
  esac
done
dir=build; [ "$flavour" = asan ] && dir=build-asan
bash scripts/build.sh "$flavour" >/dev/null
out="$dir/reliability"
mkdir -p "$out"
log="$out/$mode.log"
figures="$out/$mode.figures"
long=""; [ "$mode" = long ] && long=1
start=$(date +%s)
status=0
PROVISION_LONG="$long" ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$dir/tests/reliability_tests" "${filters[@]}" >"$log" 2>&1 || status=$?
end=$(date +%s)
{
  echo "# reliability $mode ($flavour) at $(git rev-parse --short HEAD) on $(date -u '+%Y-%m-%d %H:%M UTC')," \
    "$((end - start)) s wall, load average $(cut -d' ' -f1-3 /proc/loadavg), exit status $status"
  grep -a '^RELIABILITY ' "$log" || true
  grep -a -E '^\[doctest\] (test cases|assertions)' "$log" || true
} | tee "$figures"
[ "$status" -eq 0 ] || echo "reliability: FAILED, see $log" >&2
exit "$status"
