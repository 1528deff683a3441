#!/usr/bin/env bash
# The zsh and fish scripts parse (zsh -n, fish --no-execute) and cover every command.
# Usage: completion_syntax_test.sh PROVISION_BINARY
set -uo pipefail
bin="$1"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
work="$(mktemp -d "${TMPDIR:-/tmp}/provision-completion-syntax.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mapfile -t commands < <("$bin" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p')
[ "${#commands[@]}" -ge 8 ] || fail "could not read the commands from provision --help"
for shell in zsh fish; do
  "$bin" completion "$shell" >"$work/$shell" || fail "provision completion $shell"
  command -v "$shell" >/dev/null || { fail "$shell is not installed (scripts/install-deps.sh installs it)"; continue; }
  if [ "$shell" = zsh ]; then zsh -n "$work/zsh" || fail "zsh -n"; else fish --no-execute "$work/fish" || fail "fish -n"; fi
  for c in "${commands[@]}"; do grep -q "$c" "$work/$shell" || fail "$shell script lacks $c"; done
  opt='--parallelism'; [ "$shell" = fish ] && opt='-l parallelism'
  grep -q -- "$opt" "$work/$shell" || fail "$shell script lacks $opt"
done
"$bin" completion tcsh >/dev/null 2>&1 && fail "completion tcsh should be a usage error"
echo "failures: $failures"
[ "$failures" -eq 0 ]
