#!/usr/bin/env bash
# Installs provision's build and test dependencies from Debian 12 packages.
# Idempotent: does nothing when every package is already installed. Run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-format                      # scripts/check-format.sh, run by scripts/test.sh
  libboost1.81-dev libboost-json1.81-dev
  libyaml-cpp-dev libvalijson-dev doctest-dev libssl-dev
  libcli11-dev                      # command-line parsing (header-only)
  libpq-dev postgresql              # the PostgreSQL state store, and the server its tests start
  zlib1g-dev                        # crc32 of the state file and journal
  clang-14 libclang-rt-14-dev   # libFuzzer + sanitizers for tests/fuzz
  python3-jsonschema python3-yaml   # the peer in the validation benchmark
  hyperfine valgrind time           # scripts/bench.sh
  dpkg-dev file lintian man-db bsdextrautils zsh fish   # tests/packaging: cpack DEB, man -l, col, completions
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run as root (or install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
