#!/usr/bin/env bash
# Makes sure the Debian packages the test suite runs are installed: Chromium for the browser tests
# (playwright-core drives it; no browser is downloaded), and Apache with mod_auth_openidc, a relying
# party the emulator is tested against (test/relying-parties/), and jq, which the documented
# examples pipe into (test/docs/examples.test.ts). Installs what is missing with
# apt-get when we are root; otherwise says how.
set -euo pipefail
browser="${TOGO_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$browser" ] || missing+=(chromium)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
[ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] || missing+=(libapache2-mod-auth-openidc)
command -v jq >/dev/null || missing+=(jq)
# The terminal tests run togo in a pseudo-terminal with util-linux's script (Debian: bsdutils).
command -v script >/dev/null || missing+=(bsdutils)
if [ "${#missing[@]}" = 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages for the tests: ${missing[*]}" >&2
  echo "Run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}'" >&2
  [ -x "$browser" ] || echo "(or point TOGO_CHROMIUM at a Chromium binary)" >&2
  exit 1
fi
echo "Installing Debian packages for the tests: ${missing[*]}…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
test -x "$browser"
test -x /usr/sbin/apache2
test -f /usr/lib/apache2/modules/mod_auth_openidc.so
command -v jq >/dev/null
command -v script >/dev/null
