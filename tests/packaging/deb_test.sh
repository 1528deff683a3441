#!/usr/bin/env bash
# Builds the .deb with CPack from a configured build directory, inspects it, extracts it
# into a temp dir and runs the extracted binaries; lintian must report no errors.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/provision-deb-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")"
[ -n "$version" ] || fail "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb="$work/out/provision_${version}_amd64.deb"
[ -f "$deb" ] || { ls -l "$work/out" >&2; fail "expected $deb"; }

echo "== dpkg-deb -I"
dpkg-deb -I "$deb" | tee "$work/info"
grep -q '^ Package: provision$' "$work/info" || fail "Package field"
grep -q "^ Version: $version\$" "$work/info" || fail "Version field"
grep -q '^ Architecture: amd64$' "$work/info" || fail "Architecture field"
grep -q '^ Maintainer: .*@' "$work/info" || fail "Maintainer field"
grep -q '^ Description: .\+' "$work/info" || fail "Description field"
# shlibdeps: the libraries provision links dynamically, with versions.
for lib in libc6 libstdc\\+\\+6 libssl3 libpq5 libyaml-cpp0.7; do
  grep -Eq "^ Depends: .*\\b$lib \\(>= " "$work/info" || fail "Depends lacks $lib"
done

echo "== dpkg-deb -c"
dpkg-deb -c "$deb" | awk '{print $6}' | tee "$work/contents"
for f in ./usr/bin/provision ./usr/bin/provision-emulator \
  ./usr/share/provision/schemas/raycluster.schema.json ./usr/share/provision/schemas/plan.schema.json \
  ./usr/share/doc/provision/examples/dev.yaml ./usr/share/doc/provision/exit-codes.md \
  ./usr/share/doc/provision/copyright ./usr/share/doc/provision/changelog.gz \
  ./usr/share/man/man1/provision.1.gz ./usr/share/man/man1/provision-apply.1.gz \
  ./usr/share/man/man1/provision-emulator.1.gz ./usr/share/bash-completion/completions/provision \
  ./usr/share/zsh/vendor-completions/_provision ./usr/share/fish/vendor_completions.d/provision.fish; do
  grep -qxF "$f" "$work/contents" || fail "the package lacks $f"
done

echo "== dpkg-deb -x, run the extracted binaries"
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/provision" --version | tee "$work/version"
grep -q "^provision $version " "$work/version" || fail "provision --version"
"$work/root/usr/bin/provision" validate "$work/root/usr/share/doc/provision/examples/" || fail "validate examples"
"$work/root/usr/bin/provision-emulator" --help >/dev/null || fail "provision-emulator --help"
# What `man provision` and a bash login would load from the installed files.
warnings="$(MANWIDTH=80 man --warnings -l "$work/root/usr/share/man/man1/provision.1.gz" 2>&1 >/dev/null)"
[ -z "$warnings" ] || fail "man -l provision.1.gz: $warnings"
bash -c 'source "$1" && complete -p provision' _ "$work/root/usr/share/bash-completion/completions/provision" |
  grep -q -- '-F _provision' || fail "the installed bash completion does not register for provision"
file "$work/root/usr/bin/provision" | grep -q 'stripped' && ! file "$work/root/usr/bin/provision" | grep -q 'not stripped' ||
  fail "provision is not stripped"

echo "== lintian"
if ! command -v lintian >/dev/null; then
  fail "lintian is not installed (scripts/install-deps.sh installs it)"
fi
rc=0
lintian --fail-on error --tag-display-limit 0 "$deb" >"$work/lintian" 2>&1 || rc=$?
cat "$work/lintian"
[ "$rc" -le 1 ] || fail "lintian did not run (exit $rc)"
if [ "$rc" -ne 0 ] || grep -q '^E: ' "$work/lintian"; then fail "lintian reported errors"; fi

echo "== cmake --install with DESTDIR and a prefix"
DESTDIR="$work/destdir" cmake --install "$build" --prefix /opt/provision >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install"; }
for f in bin/provision bin/provision-emulator share/provision/schemas/raycluster.schema.json \
  share/doc/provision/examples/dev.yaml share/man/man1/provision.1.gz \
  share/bash-completion/completions/provision share/zsh/vendor-completions/_provision \
  share/fish/vendor_completions.d/provision.fish; do
  [ -f "$work/destdir/opt/provision/$f" ] || fail "cmake --install did not install $f"
done
echo "PASS"
