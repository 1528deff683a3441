#!/usr/bin/env bash
# Builds the libFuzzer flavour (clang-14, ASan+UBSan, build-fuzz/) and runs every target:
# first its regression inputs (tests/fuzz/regressions/<target>/), then fuzzing from the seed
# corpus (tests/fuzz/corpus/<target>/) for a bounded time. Prints per target: executions,
# time, coverage before -> after, new corpus units, findings. Exits 1 on any crash, leak,
# timeout, OOM or failing regression input.
#
#   scripts/fuzz.sh [--replay | --smoke | --ci | --long SECONDS] [--jobs N] [TARGET...]
#     --replay       no fuzzing: every regression input and every seed once; deterministic,
#                    so it is what scripts/test.sh (CI) runs by default
#     --smoke        20 s per target, stops at the first finding
#     --ci           like --smoke with a fixed seed and a fixed number of executions per
#                    target (about 20 s each here), from the seeds only; the path still
#                    varies between machines, so it is opt-in in CI (PROVISION_FUZZ=1)
#     --long S       S seconds per target in fork mode: keeps going after a finding and
#                    counts them all; artifacts in build-fuzz/findings/<target>/
#     --jobs N       fork-mode workers per target with --long (default 1)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PROVISION_FUZZ_BUILD:-$root/build-fuzz}"
seconds=20
mode=smoke
jobs=1
targets=()
while (($#)); do
  case "$1" in
    --replay) mode=replay; seconds=0 ;;
    --smoke) mode=smoke; seconds=20 ;;
    --ci) mode=ci; seconds=60 ;;
    --long) mode=long; seconds="${2:?--long needs SECONDS}"; shift ;;
    --jobs) jobs="${2:?--jobs needs N}"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
((${#targets[@]})) || targets=(spec_fuzz api_response_fuzz signing_fuzz emulator_request_fuzz)

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DPROVISION_FUZZ=ON \
    -DPROVISION_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j "${FUZZ_BUILD_JOBS:-2}" --target "${targets[@]}"

max_len_for() { [[ "$1" == spec_fuzz ]] && echo 8192 || echo 4096; }
# --ci executions per target: about 10-20 s each on this machine.
runs_for() {
  case "$1" in
    spec_fuzz) echo 40000 ;;
    api_response_fuzz) echo 400000 ;;
    signing_fuzz) echo 40000 ;;
    *) echo 20000 ;;
  esac
}

# PCs covered by running each input of the given corpus directories once.
replay_cov() {
  local bin="$1" out
  shift
  out="$(timeout -s KILL 300 "$bin" -max_len="$(max_len_for "$(basename "$bin")")" -rss_limit_mb=2048 -timeout=5 -runs=0 "$@" 2>&1)" || true
  grep -m1 -oE 'INITED cov: [0-9]+' <<<"$out" | grep -oE '[0-9]+$' || echo '?'
}

failed=0
summary=()
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  work="$build/fuzz-corpus/$t"
  findings="$build/findings/$t"
  log="$build/fuzz-logs/$t.log"
  if [[ "$mode" == ci ]]; then rm -rf "$work" "$findings"; fi
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  common=(-max_len="$(max_len_for "$t")" -rss_limit_mb=2048 -timeout=5 -artifact_prefix="$findings/"
          -print_final_stats=1)

  # 1. Regression inputs: each must now run cleanly.
  regress="$root/tests/fuzz/regressions/$t"
  regress_status="none"
  if compgen -G "$regress/*" >/dev/null; then
    if timeout -s KILL 120 "$bin" "${common[@]}" "$regress"/* >"$build/fuzz-logs/$t.regressions.log" 2>&1; then
      regress_status="$(ls "$regress" | wc -l) pass"
    else
      regress_status="FAIL (see $build/fuzz-logs/$t.regressions.log)"
      failed=1
    fi
  fi

  if [[ "$mode" == replay ]]; then
    seeds="$(ls "$root/tests/fuzz/corpus/$t" | wc -l)"
    seed_status="$seeds pass"
    if ! timeout -s KILL 300 "$bin" "${common[@]}" -runs=0 "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
      seed_status="FAIL (see $log)"
      failed=1
    fi
    summary+=("$(printf '%-22s seeds %s  regressions %s' "$t" "$seed_status" "$regress_status")")
    echo "${summary[-1]}"
    continue
  fi

  # 2. Fuzzing from the seeds plus what earlier runs of this build dir found. Coverage is
  # measured the same way before and after: the PCs covered by replaying the corpus once.
  seeds="$(ls "$root/tests/fuzz/corpus/$t" | wc -l)"
  before="$(ls "$work" | wc -l)"
  cov_start="$(replay_cov "$bin" "$root/tests/fuzz/corpus/$t")"
  start=$(date +%s)
  status=0
  # A hard bound on top of -timeout: libFuzzer's timeout report can deadlock in the
  # sanitizer allocator when the alarm interrupts an allocation-heavy loop.
  bound=$((seconds + 120))
  if [[ "$mode" == smoke ]]; then
    timeout -s KILL "$bound" "$bin" "${common[@]}" -max_total_time="$seconds" "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  elif [[ "$mode" == ci ]]; then
    # Same inputs every run: an empty scratch corpus (cleared above), the seeds, one mutator seed.
    timeout -s KILL "$bound" "$bin" "${common[@]}" -seed=1 -runs="$(runs_for "$t")" "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  else
    timeout -s KILL "$bound" "$bin" "${common[@]}" -max_total_time="$seconds" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 \
      -ignore_ooms=1 "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  fi
  elapsed=$(($(date +%s) - start))
  after="$(ls "$work" | wc -l)"
  cov_end="$(replay_cov "$bin" "$work" "$root/tests/fuzz/corpus/$t")"
  if [[ "$mode" != long ]]; then
    execs="$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
  else
    execs="$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 | sed -E 's/^#([0-9]+):.*/\1/')"
  fi
  crashes="$(find "$findings" -name 'crash-*' | wc -l)"
  leaks="$(find "$findings" -name 'leak-*' | wc -l)"
  timeouts="$(find "$findings" -name 'timeout-*' | wc -l)"
  ooms="$(find "$findings" -name 'oom-*' | wc -l)"
  verdict=ok
  if ((status != 0 || crashes + leaks + timeouts + ooms > 0)); then
    verdict="FINDINGS (exit $status, log $log)"
    failed=1
  fi
  summary+=("$(printf '%-22s execs %-9s time %4ss  cov %s -> %s  seeds %s  new units %s  crash/leak/timeout/oom %s/%s/%s/%s  regressions %s  %s' \
    "$t" "$execs" "$elapsed" "$cov_start" "$cov_end" "$seeds" "$((after - before))" "$crashes" "$leaks" "$timeouts" "$ooms" \
    "$regress_status" "$verdict")")
  echo "${summary[-1]}"
done

echo
echo "fuzz.sh $mode (${seconds}s per target) on $(git -C "$root" rev-parse --short HEAD):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
