#!/usr/bin/env bash
# Loads `provision completion bash` into a real bash and drives its completion function
# the way readline does (COMP_WORDS/COMP_CWORD), checking what <TAB> would offer.
# Usage: bash_completion_test.sh PROVISION_BINARY
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d "${TMPDIR:-/tmp}/provision-completion-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/specs"
ln -s "$bin" "$work/bin/provision"
export PATH="$work/bin:$PATH"
cd "$work" || exit 1
touch specs/dev.yaml specs/gpu.yaml

failures=0
# complete_line 'provision apply --par' -> the words offered, sorted, one a line.
complete_line() {
  local line="$1"
  # shellcheck disable=SC2206
  COMP_WORDS=($line)
  [[ $line == *' ' ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$line" COMP_POINT=${#line}
  COMPREPLY=()
  local spec fn
  spec="$(complete -p provision)" || return 1
  fn="$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")"
  "$fn" provision "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() {  # expect 'LINE' WORD...: every WORD is offered
  local line="$1" got w
  shift
  got="$(complete_line "$line")"
  for w in "$@"; do
    if ! grep -qxF -- "$w" <<<"$got"; then
      echo "FAIL: '$line<TAB>' should offer '$w'; got: $(tr '\n' ' ' <<<"$got")" >&2
      failures=$((failures + 1))
    fi
  done
}
expect_not() {  # expect_not 'LINE' WORD...: no WORD is offered
  local line="$1" got w
  shift
  got="$(complete_line "$line")"
  for w in "$@"; do
    if grep -qxF -- "$w" <<<"$got"; then
      echo "FAIL: '$line<TAB>' should not offer '$w'" >&2
      failures=$((failures + 1))
    fi
  done
}

# shellcheck disable=SC1090
source <(provision completion bash) || { echo "FAIL: the script does not load" >&2; exit 1; }
complete -p provision >/dev/null || { echo "FAIL: no 'complete' for provision" >&2; exit 1; }
# Registered the way bash-completion's loader expects: a function for the command name.
complete -p provision | grep -q -- '-F _provision provision$' ||
  { echo "FAIL: complete -p provision: $(complete -p provision)" >&2; failures=$((failures + 1)); }

expect 'provision ap' apply
expect_not 'provision ap' validate
expect 'provision ' validate plan apply destroy status state show version completion
expect 'provision apply --par' --parallelism
expect 'provision apply --' --auto-approve --state --output --help --no-color
expect_not 'provision validate --' --parallelism
expect 'provision plan --output ' text json markdown
expect_not 'provision apply --output ' markdown
expect 'provision validate specs/' specs/dev.yaml specs/gpu.yaml
expect 'provision apply --parallelism 2 specs/d' specs/dev.yaml
expect 'provision state ' list show rm import migrate
expect 'provision completion ' bash zsh fish

# State names for `state show`/`state rm`, read from a real state via `state list`.
export PROVISION_STATE="$work/state/state.json"
for name in alpha beta; do
  provision state import "$name" "rc-$name" --no-verify --workspace-id w-1 --region-id cn-hangzhou >/dev/null ||
    { echo "FAIL: could not import $name into the test state" >&2; exit 1; }
done
expect 'provision state show ' alpha beta
expect 'provision state rm a' alpha
expect_not 'provision state rm a' beta
expect_not 'provision state list ' alpha
# --state on the command line wins over the environment, as it does for the command.
mkdir -p "$work/other"
provision state import gamma rc-gamma --no-verify --workspace-id w-1 --region-id cn-hangzhou \
  --state "$work/other/state.json" >/dev/null || { echo "FAIL: import gamma" >&2; exit 1; }
expect "provision state show --state $work/other/state.json " gamma
expect_not "provision state show --state $work/other/state.json " alpha
echo "failures: $failures"
[ "$failures" -eq 0 ]
