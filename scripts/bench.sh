#!/usr/bin/env bash
# Reproduces every benchmark figure of issue 7 with one command, prints them and writes
# bench/results/latest.md. Never fails on speed; exits non-zero only when a step breaks.
#
#   scripts/bench.sh            # full run (sizes of the issue)
#   BENCH_QUICK=1 scripts/bench.sh   # small sizes, for trying the script
#
# Sizes (environment): BENCH_VALIDATE_DOCS=10000 BENCH_APPLY_CLUSTERS=500
#   BENCH_PARALLELISM="1 4 16 64" BENCH_NOOP_CLUSTERS=1000 BENCH_SCALE_CLUSTERS="100 1000 10000"
#   BENCH_CALLGRIND_CLUSTERS=50 BENCH_COLD_RUNS=20 BENCH_BULK_RUNS=3 BENCH_NOOP_RUNS=10
# Build: the release flavour (scripts/build.sh) in build/, which includes bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/emulator.sh
root="$PWD"

if [ -n "${BENCH_QUICK:-}" ]; then
  : "${BENCH_VALIDATE_DOCS:=1000}" "${BENCH_APPLY_CLUSTERS:=50}" "${BENCH_NOOP_CLUSTERS:=100}"
  : "${BENCH_SCALE_CLUSTERS:=20}" "${BENCH_CALLGRIND_CLUSTERS:=10}" "${BENCH_COLD_RUNS:=5}"
  : "${BENCH_BULK_RUNS:=2}" "${BENCH_NOOP_RUNS:=3}"
fi
validate_docs="${BENCH_VALIDATE_DOCS:-10000}"
apply_clusters="${BENCH_APPLY_CLUSTERS:-500}"
parallelism="${BENCH_PARALLELISM:-1 4 16 64}"
noop_clusters="${BENCH_NOOP_CLUSTERS:-1000}"
scale_clusters="${BENCH_SCALE_CLUSTERS:-100 1000 10000}"
callgrind_clusters="${BENCH_CALLGRIND_CLUSTERS:-50}"
cold_runs="${BENCH_COLD_RUNS:-20}"
bulk_runs="${BENCH_BULK_RUNS:-3}"
noop_runs="${BENCH_NOOP_RUNS:-10}"

for tool in hyperfine valgrind python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hyperfine valgrind time)" >&2; exit 1; }
done

# The release build (scripts/build.sh) holds the bench tools too.
build="$root/build"
# BENCH_NO_BUILD=1: use the binaries already in build/ (built by hand, e.g. only the four
# targets below on a busy machine).
[ -n "${BENCH_NO_BUILD:-}" ] || bash "$root/scripts/build.sh" release >/dev/null
bin="$build/src/provision"
emulator="$build/emulator/provision-emulator"
driver="$build/bench/provision-load-driver"
counter="$build/bench/libprovision-tls-handshake-counter.so"
schema="$root/schemas/raycluster.schema.json"
py="python3 $root/bench"
# The peer is Debian's Python with python3-jsonschema and python3-yaml, not whatever
# python3 comes first in PATH (a pyenv one has other versions of both).
peer_py="${BENCH_PEER_PYTHON:-/usr/bin/python3}"

work="$(mktemp -d "${TMPDIR:-/tmp}/provision-bench.XXXXXX")"
# The emulator is a stand-in for the cloud: its data dir lives in memory so our disk's
# fsync latency is not charged to it. The client's state file stays on the real disk.
emu_root="$(mktemp -d /dev/shm/provision-bench-emu.XXXXXX 2>/dev/null || mktemp -d)"
emulator_pid=""
cleanup() { stop_emulator; rm -rf "$work" "$emu_root"; }
trap cleanup EXIT

export ALIBABA_CLOUD_ACCESS_KEY_ID=demo-access-key-id
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-access-key-secret

# start_emulator NAME: a fresh emulator (start delay 0); sets endpoint, ca, log.
start_emulator() {
  stop_emulator
  local dir="$emu_root/$1"
  log="$work/$1.access.log"
  : >"$log"
  "$emulator" --listen 127.0.0.1:0 --data-dir "$dir" --start-delay 0 --access-log "$log" \
    >"$work/$1.emulator.out" 2>&1 &
  emulator_pid=$!
  endpoint="$(wait_for_emulator "$work/$1.emulator.out" "$emulator_pid")" || exit 1
  ca="$dir/ca.pem"
}

# specs NAME COUNT [PREFIX]: COUNT cluster specs in one region, 4 workspaces.
specs() {
  python3 bench/gen_specs.py --count "$2" --out "$work/$1" --region cn-hangzhou --workspaces 4 2>/dev/null
  [ -z "${3:-}" ] || sed -i "s/name: bench-/name: $3-/" "$work/$1"/*.yaml
}

# emulator_cpu: user+system CPU seconds the running emulator has used so far.
emulator_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$emulator_pid/stat"
}

# timed OUT CMD...: runs CMD with the TLS counter; sets wall, rss_mb, handshakes.
timed() {
  local out="$1"; shift
  local count="$work/tls.count"
  rm -f "$count"
  PROVISION_BENCH_TLS_COUNT="$count" LD_PRELOAD="$counter" \
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >"$out" 2>&1 || {
    echo "bench: failed: $*" >&2; tail -5 "$out" >&2; exit 1; }
  read -r wall rss_kb <"$work/time.out"
  rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  handshakes=$(sed -n 's/^handshakes=\([0-9]*\).*/\1/p' "$count" 2>/dev/null | head -n 1)
  handshakes="${handshakes:-0}"
}

results="$work/results.md"
say() { echo "$*" | tee -a "$results"; }
api() { echo --endpoint "$endpoint" --ca-file "$ca" --state "$1"; }

cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
mem="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
say "# provision benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say ""
say "Machine: $(nproc) CPUs ($cpu_model), $mem RAM, load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
say "Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown). Build: RelWithDebInfo (-O2 -g)."
say "Peer: $peer_py, Python $($peer_py -c 'import platform; print(platform.python_version())'), jsonschema $($peer_py -c 'import importlib.metadata as m; print(m.version("jsonschema"))'), PyYAML $($peer_py -c 'import yaml; print(yaml.__version__, "(libyaml)" if yaml.__with_libyaml__ else "")')."
say ""

# ---------------------------------------------------------------- 1. validation
say "## 1. Validation (median of N runs, same run for both tools)"
say ""
specs validate "$validate_docs"
mapfile -t vfiles < <(ls "$work/validate"/*.yaml)
one="$root/specs/examples/dev.yaml"
# /bin/true and --version in the same run: the floor of a process, and our start-up alone.
hyperfine -N --style none --warmup 2 --runs "$cold_runs" --export-json "$work/cold.json" \
  "$bin validate $one" "$peer_py $root/bench/peer_validate.py $schema $one" "/bin/true" "$bin --version" >/dev/null 2>&1
read -r cold_p cold_p_user < <($py/stats.py hyperfine "$work/cold.json" 0)
read -r cold_y cold_y_user < <($py/stats.py hyperfine "$work/cold.json" 1)
read -r cold_true _ < <($py/stats.py hyperfine "$work/cold.json" 2)
read -r cold_version _ < <($py/stats.py hyperfine "$work/cold.json" 3)
hyperfine -N --style none --warmup 0 --runs "$bulk_runs" --export-json "$work/bulk.json" \
  "$bin validate ${vfiles[*]}" "$peer_py $root/bench/peer_validate.py $schema ${vfiles[*]}" >/dev/null 2>&1
read -r bulk_p bulk_p_user < <($py/stats.py hyperfine "$work/bulk.json" 0)
read -r bulk_y bulk_y_user < <($py/stats.py hyperfine "$work/bulk.json" 1)
timed "$work/v1.out" "$bin" validate "$one"; rss_cold_p=$rss_mb
timed "$work/v2.out" "$peer_py" bench/peer_validate.py "$schema" "$one"; rss_cold_y=$rss_mb
timed "$work/v3.out" "$bin" validate "${vfiles[@]}"; rss_bulk_p=$rss_mb
timed "$work/v4.out" "$peer_py" bench/peer_validate.py "$schema" "${vfiles[@]}"; rss_bulk_y=$rss_mb
say "| case | provision (median wall / mean user CPU) | Python peer | ratio wall (CPU) | peak RSS provision / peer | target |"
say "| --- | --- | --- | --- | --- | --- |"
say "| one spec, cold process ($cold_runs runs) | ${cold_p} s / ${cold_p_user} s | ${cold_y} s / ${cold_y_user} s | $($py/stats.py ratio "$cold_y" "$cold_p")× ($($py/stats.py ratio "$cold_y_user" "$cold_p_user")×) | ${rss_cold_p} / ${rss_cold_y} MB | ≥ 20× |"
say "| $validate_docs documents in ${#vfiles[@]} files ($bulk_runs runs) | ${bulk_p} s / ${bulk_p_user} s | ${bulk_y} s / ${bulk_y_user} s | $($py/stats.py ratio "$bulk_y" "$bulk_p")× ($($py/stats.py ratio "$bulk_y_user" "$bulk_p_user")×) | ${rss_bulk_p} / ${rss_bulk_y} MB | ≥ 3× (issue 14) |"
say ""
say "Cold start, same hyperfine run: /bin/true ${cold_true} s, provision --version ${cold_version} s; validate of one spec is $(awk -v a="$cold_p" -v b="$cold_true" 'BEGIN { printf "%.1f ms", 1000 * (a - b) }') above /bin/true (target ≤ 4 ms)."
say ""

# ---------------------------------------------------------------- 2. emulator capacity
say "## 2. Apply $apply_clusters new clusters (emulator --start-delay 0, fresh emulator and state per row)"
say ""
specs apply "$apply_clusters"
"$bin" apply --dry-run --output json "$work/apply" >"$work/bodies.jsonl"
start_emulator capacity
"$driver" --endpoint "$endpoint" --ca-file "$ca" --bodies "$work/bodies.jsonl" --connections 16 \
  >"$work/capacity.out" 2>&1 || { cat "$work/capacity.out" >&2; exit 1; }
capacity_rps=$(sed -n 's/.*requests_per_s=\([0-9.]*\).*/\1/p' "$work/capacity.out")
say "Emulator capacity alone (load driver, Create+Get per cluster, 16 keep-alive connections): $(cat "$work/capacity.out")"
say ""
say "| parallelism | wall | requests | requests/s | % of emulator capacity | TLS handshakes | peak RSS |"
say "| --- | --- | --- | --- | --- | --- | --- |"
for p in $parallelism; do
  start_emulator "apply-p$p"
  timed "$work/apply-p$p.out" "$bin" apply --auto-approve $(api "$work/state-p$p.json") --parallelism "$p" "$work/apply"
  read -r req _ < <($py/stats.py access "$log")
  n=${req#requests=}
  rps=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.1f", n / w }')
  pct=$(awk -v r="$rps" -v c="$capacity_rps" 'BEGIN { printf "%.0f%%", 100 * r / c }')
  say "| $p | ${wall} s | $($py/stats.py access "$log") | $rps | $pct | $handshakes | ${rss_mb} MB |"
  [ "$p" != 16 ] || { apply16_wall=$wall; apply16_rss=$rss_mb; }
done
# Diagnostic row: the same apply with the client's state file in memory (tmpfs), which
# shows how much of the wall time is the state file's fsyncs on this machine's disk.
start_emulator apply-mem
mkdir -p "$emu_root/client-state"
timed "$work/apply-mem.out" "$bin" apply --auto-approve $(api "$emu_root/client-state/state.json") --parallelism 16 "$work/apply"
read -r req _ < <($py/stats.py access "$log")
n=${req#requests=}
rps=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.1f", n / w }')
pct=$(awk -v r="$rps" -v c="$capacity_rps" 'BEGIN { printf "%.0f%%", 100 * r / c }')
say "| 16, state file on tmpfs (diagnostic) | ${wall} s | $($py/stats.py access "$log") | $rps | $pct | $handshakes | ${rss_mb} MB |"
say ""

# ---------------------------------------------------------------- 3. no-op rerun, plan --refresh, scaling
say "## 3. No-op rerun and plan --refresh; 5. scaling (apply at parallelism 16)"
say ""
say "| clusters | apply wall | apply per cluster | emulator CPU during apply | apply peak RSS | no-op rerun median ($noop_runs runs) | no-op without its cache | no-op requests | no-op peak RSS | plan --refresh wall | plan --refresh requests |"
say "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
# Every size once, smallest first: the scaling points and the no-op size of the issue.
for n in $(printf '%s\n' $scale_clusters $noop_clusters | sort -n | uniq); do
  specs "scale-$n" "$n" "s$n"
  start_emulator "scale-$n"
  state="$work/state-scale-$n.json"
  timed "$work/scale-$n.out" "$bin" apply --auto-approve $(api "$state") --parallelism 16 "$work/scale-$n"
  a_wall=$wall; a_rss=$rss_mb; a_emu=$(emulator_cpu)
  before=$(wc -l <"$log")
  hyperfine -N --style none --warmup 1 --runs "$noop_runs" --export-json "$work/noop-$n.json" \
    "$bin apply --auto-approve $(api "$state") $work/scale-$n" >/dev/null 2>&1
  read -r noop_wall _ < <($py/stats.py hyperfine "$work/noop-$n.json" 0)
  # The same rerun with the no-op cache removed before each run: every file parsed.
  hyperfine -N --style none --warmup 1 --runs "$noop_runs" --export-json "$work/noop-cold-$n.json" \
    --prepare "rm -f $state.spec-cache" "$bin apply --auto-approve $(api "$state") $work/scale-$n" >/dev/null 2>&1
  read -r noop_uncached _ < <($py/stats.py hyperfine "$work/noop-cold-$n.json" 0)
  "$bin" apply --auto-approve $(api "$state") "$work/scale-$n" >/dev/null 2>&1  # the cache again
  timed "$work/noop-$n.out" "$bin" apply --auto-approve $(api "$state") "$work/scale-$n"
  noop_rss=$rss_mb
  [ "$n" != "$noop_clusters" ] || noop_1000_wall=$noop_wall
  read -r noop_req _ < <($py/stats.py access "$log" "$before")
  before=$(wc -l <"$log")
  timed "$work/refresh-$n.out" "$bin" plan --refresh $(api "$state") "$work/scale-$n"
  say "| $n | ${a_wall} s | $(awk -v w="$a_wall" -v n="$n" 'BEGIN { printf "%.2f ms", 1000 * w / n }') | ${a_emu} s | ${a_rss} MB | $(awk -v s="$noop_wall" 'BEGIN { printf "%.1f ms", s * 1000 }') | $(awk -v s="$noop_uncached" 'BEGIN { printf "%.1f ms", s * 1000 }') | ${noop_req#requests=} | ${noop_rss} MB | ${wall} s | $($py/stats.py access "$log" "$before") |"
done
say ""
say "No-op rerun of $noop_clusters clusters against the peer validating one spec: $($py/stats.py ratio "$cold_y" "$noop_1000_wall")× faster (target ≥ 5×)."
say ""
say "(the $apply_clusters-cluster row at parallelism 16 is in section 2: ${apply16_wall:-n/a} s, ${apply16_rss:-n/a} MB)"
say ""

# ---------------------------------------------------------------- 4. instructions per created cluster
say "## 4. Client CPU per created cluster (callgrind, $callgrind_clusters clusters, parallelism 16)"
say ""
specs callgrind "$callgrind_clusters" cg
start_emulator callgrind
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  "$bin" apply --auto-approve $(api "$work/state-cg.json") --parallelism 16 "$work/callgrind" \
  >"$work/callgrind.log" 2>&1 || { tail -5 "$work/callgrind.log" >&2; exit 1; }
stop_emulator
total=$($py/stats.py callgrind-total "$work/callgrind.out")
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-validate.out" \
  "$bin" validate "$work/callgrind" >/dev/null 2>&1
vtotal=$($py/stats.py callgrind-total "$work/callgrind-validate.out")
say "Instructions: $total in total, $((total / callgrind_clusters)) per created cluster (of which loading and validating the specs: $((vtotal / callgrind_clusters)) per cluster)."
say ""
say "Top functions by inclusive instructions:"
say ""
say '```'
# Functions appear once per source path callgrind saw; keep the first of each. The whole
# listing is read before head cuts it, so no SIGPIPE reaches set -o pipefail.
callgrind_annotate --inclusive=yes "$work/callgrind.out" >"$work/callgrind.txt" 2>/dev/null || true
grep -E '^ *[0-9,]+ \(' "$work/callgrind.txt" | grep -E ':provision::(state|engine|api|spec)::' |
  sed -E 's/^( *[0-9,]+ \([ 0-9.]+%\))  [^:]*:/\1  /; s/ \[[^]]*\] *$//' | awk '{ k = $0; sub(/^ *[0-9,]+ \([ 0-9.]+%\)  /, "", k) } !seen[k]++' |
  sed -n '1,14p' | cut -c1-170 | tee -a "$results" || true
say '```'

mkdir -p bench/results
cp "$results" bench/results/latest.md
echo
echo "bench: wrote bench/results/latest.md"
