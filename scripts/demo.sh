#!/usr/bin/env bash
# The main job: builds provision and provision-emulator, starts the emulator in the
# background (a local HTTPS stand-in for Alibaba Cloud, no account needed), applies
# specs/examples/, shows `provision status`, then stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/emulator.sh
# Only the two binaries it runs: the test suite is scripts/test.sh's job.
bash scripts/build.sh release provision provision-emulator >/dev/null
bin=build/src/provision
emulator=build/emulator/provision-emulator
work="$(mktemp -d "${TMPDIR:-/tmp}/provision-demo.XXXXXX")"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== provision validate specs/examples/"
"$bin" validate specs/examples/
echo

echo "== provision-emulator --listen 127.0.0.1:0 (in the background)"
"$emulator" --listen 127.0.0.1:0 --data-dir "$work/emulator" --start-delay 2 \
  --access-log "$work/access.log" >"$work/emulator.out" 2>&1 &
emulator_pid=$!
endpoint="$(wait_for_emulator "$work/emulator.out" "$emulator_pid")" || exit 1
cat "$work/emulator.out"

# The emulator's demo credentials; with a real account these come from the environment
# or ~/.aliyun/config.json, and --endpoint/--ca-file are left out.
export ALIBABA_CLOUD_ACCESS_KEY_ID=demo-access-key-id
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-access-key-secret
api=(--endpoint "$endpoint" --ca-file "$work/emulator/ca.pem" --state "$work/state.json")
echo
echo "== provision apply --auto-approve specs/examples/"
"$bin" apply --auto-approve "${api[@]}" specs/examples/
echo
echo "== provision status"
"$bin" status "${api[@]}"
echo
echo "== provision apply again: nothing to do, no request sent"
before=$(wc -l <"$work/access.log")
"$bin" apply --auto-approve "${api[@]}" specs/examples/
echo "(requests sent by the rerun: $(($(wc -l <"$work/access.log") - before)))"
