#!/usr/bin/env bash
# The generated man pages: one per command of `provision --help` plus provision(1) and
# provision-emulator(1); man -l renders each without warnings; each has its command's
# options, the exit codes and the environment variables the sources read.
# Usage: man_pages_test.sh DOCS_DIR SOURCE_DIR   (DOCS_DIR holds man1/*.1)
set -uo pipefail
docs="$1/man1" src="$2"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
command -v man >/dev/null || { echo "FAIL: man is not installed (scripts/install-deps.sh installs man-db)" >&2; exit 1; }

# The commands, from the real --help.
provision="$(dirname "$1")/src/provision"
mapfile -t commands < <("$provision" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p')
[ "${#commands[@]}" -ge 8 ] || fail "could not read the commands from provision --help (${commands[*]})"
pages=(provision provision-emulator)
for c in "${commands[@]}"; do pages+=("provision-$c"); done

for p in "${pages[@]}"; do
  f="$docs/$p.1"
  [ -f "$f" ] || { fail "no $f"; continue; }
  [ -f "$f.gz" ] || fail "no $f.gz"
  warnings="$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)"
  [ -z "$warnings" ] || fail "man --warnings -l $p.1: $warnings"
  text="$(MANWIDTH=80 man -l "$f" 2>/dev/null | col -b)"
  for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" "SEE ALSO"; do
    grep -q "^$section" <<<"$text" || fail "$p.1 has no $section section"
  done
  if [ "$p" != provision-emulator ]; then
    grep -q "^ENVIRONMENT" <<<"$text" || fail "$p.1 has no ENVIRONMENT section"
    grep -Eq '^ +130 *$|^ +130 ' <<<"$text" || fail "$p.1 lacks exit code 130"
  fi
  # Every option of the command's --help is in its page.
  if [[ $p == provision-* && $p != provision-emulator ]]; then
    cmd="${p#provision-}"
    for opt in $("$provision" "$cmd" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
      grep -q -- "$opt" <<<"$text" || fail "$p.1 lacks $opt"
    done
  fi
done
emulator_text="$(MANWIDTH=80 man -l "$docs/provision-emulator.1" 2>/dev/null | col -b)"
for opt in --listen --data-dir --fault-rate --access-log PROVISION_EMULATOR_ACCESS_KEYS; do
  grep -q -- "$opt" <<<"$emulator_text" || fail "provision-emulator.1 lacks $opt"
done

# Every variable the sources read with getenv (or name as a credentials variable) is in
# provision(1)'s ENVIRONMENT section.
main_text="$(MANWIDTH=80 man -l "$docs/provision.1" 2>/dev/null | col -b)"
mapfile -t vars < <(grep -rhoE 'getenv\("[A-Z0-9_]+"\)|"ALIBABA_CLOUD_[A-Z0-9_]+"|env_is_true\(sources, "[A-Z0-9_]+"\)' "$src/src" |
  grep -oE "[A-Z][A-Z0-9_]{3,}" | sort -u)
[ "${#vars[@]}" -ge 8 ] || fail "found only ${#vars[@]} environment variables in src/"
for v in "${vars[@]}"; do
  grep -q "^ *$v\b" <<<"$main_text" || fail "provision.1 does not describe $v"
done

echo "pages: ${#pages[@]}, variables: ${#vars[@]}, failures: $failures"
[ "$failures" -eq 0 ]
