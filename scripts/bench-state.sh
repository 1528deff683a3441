#!/usr/bin/env bash
# The state stores at scale (issue 11): apply and the no-op rerun at 1,000 and 10,000
# clusters on the local store (snapshot + journal) and on PostgreSQL, in one run, and the
# bytes each group commit writes. Prints a table and writes bench/results/state-latest.md.
#
#   scripts/bench-state.sh                     # 1,000 and 10,000 clusters
#   BENCH_STATE_SIZES="100 1000" scripts/bench-state.sh
#
# Bytes per commit: local store, the bytes provision write()s to state.json.journal and
# the snapshot's temp file (strace, in a separate run), divided by the fsyncs of those
# files; PostgreSQL, the WAL bytes the server wrote per committed transaction
# (pg_current_wal_lsn and xact_commit around the apply).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/emulator.sh
export ALIBABA_CLOUD_ACCESS_KEY_ID=demo-access-key-id ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-access-key-secret
root="$PWD"
sizes="${BENCH_STATE_SIZES:-1000 10000}"
command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null
bash scripts/build.sh release >/dev/null
bin="$root/build/src/provision"
emulator="$root/build/emulator/provision-emulator"
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

work="$(mktemp -d /tmp/provision-bench-state.XXXXXX)"
chmod 755 "$work"
emu_root="$(mktemp -d /dev/shm/provision-bench-emu.XXXXXX 2>/dev/null || mktemp -d)"
emulator_pid=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgdata="$work/pg"
stop_pg() { [ -f "$pgdata/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true; }
cleanup() { stop_emulator; stop_pg; rm -rf "$work" "$emu_root"; }
trap cleanup EXIT

# A private PostgreSQL (trust auth on 127.0.0.1 only), its data on the real disk with fsync on.
mkdir -p "$pgdata" && [ "$(id -u)" != 0 ] || chown postgres: "$pgdata"
as_pg "$pgbin/initdb" -D "$pgdata" -U provision -A trust -E UTF8 --locale=C >/dev/null
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -c unix_socket_directories=$pgdata" start >/dev/null
pguri="postgresql://provision@127.0.0.1:$pgport/postgres"
psql_() { "$pgbin/psql" -X -A -t -d "$pguri" -c "$1"; }

results="$work/results.md"
say() { echo "$*" | tee -a "$results"; }
say "# State stores at scale — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say ""
say "Machine: $(nproc) CPUs, load average at start $(cut -d' ' -f1-3 /proc/loadavg). Commit $(git rev-parse --short HEAD). PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on the same machine (fsync on)."
say ""
say "| store | clusters | apply wall (parallelism 16) | per cluster | no-op rerun | commits | bytes per commit: appended (mean) | bytes per commit: snapshots, amortised | compactions |"
say "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"

declare -A apply_wall
for n in $sizes; do
  python3 bench/gen_specs.py --count "$n" --out "$work/specs-$n" --region cn-hangzhou --workspaces 4 2>/dev/null
  for store in local postgresql; do
    stop_emulator
    log="$work/$store-$n.access.log"
    "$emulator" --listen 127.0.0.1:0 --data-dir "$emu_root/$store-$n" --start-delay 0 --access-log "$log" \
      >"$work/emu.out" 2>&1 &
    emulator_pid=$!
    endpoint="$(wait_for_emulator "$work/emu.out" "$emulator_pid")"
    api=(--endpoint "$endpoint" --ca-file "$emu_root/$store-$n/ca.pem")
    if [ "$store" = local ]; then
      state=(--state "$work/state-$n/state.json")
    else
      state=(--state "$pguri" --state-name "bench-$n")
      wal0=$(psql_ "SELECT pg_current_wal_lsn()"); tx0=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
    fi
    start=$(date +%s.%N)
    "$bin" apply --auto-approve --parallelism 16 "${api[@]}" "${state[@]}" "$work/specs-$n" >"$work/apply.out" 2>&1 ||
      { tail -5 "$work/apply.out" >&2; exit 1; }
    wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
    apply_wall[$store-$n]=$wall
    start=$(date +%s.%N)
    "$bin" apply --auto-approve "${api[@]}" "${state[@]}" "$work/specs-$n" >"$work/noop.out" 2>&1
    noop=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f ms", 1000 * (e - s) }')
    if [ "$store" = local ]; then
      # The same apply again on a fresh state and emulator, under strace, for the bytes.
      stop_emulator
      "$emulator" --listen 127.0.0.1:0 --data-dir "$emu_root/trace-$n" --start-delay 0 >"$work/emu.out" 2>&1 &
      emulator_pid=$!
      endpoint="$(wait_for_emulator "$work/emu.out" "$emulator_pid")"
      strace -f --seccomp-bpf -y -e trace=write,fsync -o "$work/trace-$n" \
        "$bin" apply --auto-approve --parallelism 16 --endpoint "$endpoint" --ca-file "$emu_root/trace-$n/ca.pem" \
        --state "$work/trace-state-$n/state.json" "$work/specs-$n" >/dev/null 2>&1
      read -r commits appended snapshot_bytes compactions < <(awk '
        /fsync\(.*state\.json\.journal>/ { commits++ }
        /fsync\(.*state\.json\.tmp>/ { commits++; snapshots++ }
        /write\(.*state\.json\.journal>/ { n = $NF; if (n ~ /^[0-9]+$/) appended += n }
        /write\(.*state\.json\.tmp>/ { n = $NF; if (n ~ /^[0-9]+$/) snap += n }
        END { printf "%d %d %d %d\n", commits, appended, snap, snapshots - 1 }' "$work/trace-$n")
      per=$(awk -v b="$appended" -v c="$((commits - compactions - 1))" 'BEGIN { printf "%.0f", c ? b / c : 0 }')
      amortised=$(awk -v b="$snapshot_bytes" -v c="$commits" 'BEGIN { printf "%.0f", c ? b / c : 0 }')
    else
      wal1=$(psql_ "SELECT pg_current_wal_lsn()"); tx1=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
      bytes=$(psql_ "SELECT pg_wal_lsn_diff('$wal1', '$wal0')::bigint")
      commits=$(psql_ "SELECT serial FROM provision_states WHERE name = 'bench-$n'")
      compactions="-"
      per=$(awk -v b="$bytes" -v c="$commits" 'BEGIN { printf "%.0f (WAL)", c ? b / c : 0 }')
      amortised="-"
      : "$tx0" "$tx1"
    fi
    say "| $store | $n | ${wall} s | $(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.2f ms", 1000 * w / n }') | $noop | $commits | $per | $amortised | $compactions |"
  done
done
say ""
set -- $sizes
if [ $# -ge 2 ]; then
  for store in local postgresql; do
    say "Apply growth, $store: $2 clusters take $(awk -v a="${apply_wall[$store-$1]}" -v b="${apply_wall[$store-$2]}" 'BEGIN { printf "%.1f", b / a }')× the time of $1 (target: at most $(( $2 / $1 * 12 / 10 ))×)."
  done
fi
mkdir -p bench/results
cp "$results" bench/results/state-latest.md
echo "bench-state: wrote bench/results/state-latest.md"
