#!/usr/bin/env bash
# The zsh and fish scripts parse (zsh -n, fish --no-execute) and cover every command; zsh's
# compinit registers it; fish's own `complete -C` (its completion engine, no terminal
# needed) offers commands, options, --output choices and state names.
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
if command -v zsh >/dev/null; then
  got="$(cd "$work" && zsh -c 'autoload -Uz compinit; compinit -u -d ./zcompdump; source ./zsh; print -r -- ${_comps[provision]}' 2>&1)"
  [ "$got" = _provision ] || fail "zsh: compinit does not register _provision: $got"
fi
if command -v fish >/dev/null; then
  mkdir -p "$work/bin" "$work/specs"
  ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$work/bin/provision"
  touch "$work/specs/dev.yaml"
  export PROVISION_STATE="$work/state/state.json"
  PATH="$work/bin:$PATH" provision state import alpha rc-alpha --no-verify --workspace-id w-1 \
    --region-id cn-hangzhou >/dev/null || fail "could not import alpha into the test state"
  fish_complete() { (cd "$work" && PATH="$work/bin:$PATH" fish -c "source ./fish; complete -C'$1'" | cut -f1); }
  fish_expect() {
    local got
    got="$(fish_complete "$1")"
    grep -qxF -- "$2" <<<"$got" || fail "fish: '$1<TAB>' should offer '$2'; got: $(tr '\n' ' ' <<<"$got")"
  }
  fish_expect 'provision ap' apply
  fish_expect 'provision apply --par' --parallelism
  fish_expect 'provision plan --output ' markdown
  fish_expect 'provision validate sp' specs/
  fish_expect 'provision state ' rm
  fish_expect 'provision state show ' alpha
  fish_complete 'provision apply --output ' | grep -qx markdown && fail "fish: apply --output offers markdown"
fi
"$bin" completion tcsh >/dev/null 2>&1 && fail "completion tcsh should be a usage error"
echo "failures: $failures"
[ "$failures" -eq 0 ]
