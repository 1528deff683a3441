# Shell helpers shared by scripts that run provision-emulator in the background.

# wait_for_emulator OUTPUT_FILE PID: waits (at most 10 s) until the emulator started as PID
# prints its address into OUTPUT_FILE, then prints "127.0.0.1:PORT". Exits the calling
# script with the emulator's output if it stops or never says where it listens.
wait_for_emulator() {
  local out="$1" pid="$2" endpoint=""
  for _ in $(seq 1 200); do
    grep -q 'listening on https://' "$out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; exit 1; }
    sleep 0.05
  done
  endpoint="$(sed -n 's|.*listening on https://||p' "$out" | head -n 1)"
  [ -n "$endpoint" ] || { cat "$out" >&2; echo "the emulator did not start" >&2; exit 1; }
  echo "$endpoint"
}

# stop_emulator: stops the emulator started as $emulator_pid, if any.
stop_emulator() {
  if [ -n "${emulator_pid:-}" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}
