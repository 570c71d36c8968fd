#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it; no
# browser is downloaded), and jq, which the documented examples pipe into (test/docs/examples.test.ts
# runs them). Installs what is missing with apt-get when we are root; otherwise says how.
set -euo pipefail
browser="${TOGO_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$browser" ] || missing+=(chromium)
command -v jq >/dev/null || missing+=(jq)
if [ "${#missing[@]}" = 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing for the tests: ${missing[*]}: run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}'" >&2
  echo "(or point TOGO_CHROMIUM at a Chromium binary)." >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]} for the tests…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
test -x "$browser"
command -v jq >/dev/null
