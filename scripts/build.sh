#!/usr/bin/env bash
# Configures (once) and builds provision. Usage: scripts/build.sh [release|asan] [TARGET...]
# (no TARGET: everything, the test suite included)
#   release -> build/        (RelWithDebInfo)
#   asan    -> build-asan/   (AddressSanitizer + UndefinedBehaviorSanitizer)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour="${1:-release}"
case "$flavour" in
  release) dir=build; extra=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) dir=build-asan; extra=(-DCMAKE_BUILD_TYPE=Debug -DPROVISION_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 3 ;;
esac
bash scripts/install-deps.sh
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" -G Ninja "${extra[@]}" >/dev/null
fi
shift || true
cmake --build "$dir" -j "$(nproc)" ${1:+--target "$@"}
