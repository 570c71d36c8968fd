#!/usr/bin/env bash
# Packs togo as it would be published (npm pack), installs the tarball into a temporary prefix, and
# runs `togo --help`, `togo decode <seed token>` and `togo demo` from that install on a PATH that
# holds only the installed bin directory and node: proves the files list, the bin entry, the build
# and the runtime dependencies (oidc-provider for the emulator) are complete.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

tarball="$(npm pack --silent --pack-destination "$tmp" | tail -n 1)"
echo "== packed $tarball"
npm install -g --prefix "$tmp/prefix" --no-audit --no-fund --prefer-offline "$tmp/$tarball" >/dev/null

seed_token="$(cat test/fixtures/seed-id-token.txt)"
node_dir="$(dirname "$(command -v node)")"
# A clean PATH and HOME: nothing from this checkout or the developer's shell can stand in.
clean() {
  env -i PATH="$tmp/prefix/bin:$node_dir" HOME="$tmp/home" TOGO_COMPILE_CACHE=off "$@"
}
cd "$tmp"

[ "$(clean sh -c 'command -v togo')" = "$tmp/prefix/bin/togo" ] || { echo "togo is not on PATH from the tarball" >&2; exit 1; }
clean togo --help | grep -q '^Usage: togo'
clean togo decode "$seed_token" --claim user.organizations.1.organization.name | grep -qx Airstream
clean togo demo --quiet | grep -q '^Result: VALID'
echo "ok: togo --help, decode and demo from the packed tarball"
