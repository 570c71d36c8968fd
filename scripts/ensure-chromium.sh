#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it; no
# browser is downloaded). Installs it with apt-get when missing and we are root; otherwise says how.
set -euo pipefail
# The terminal tests run togo in a pseudo-terminal with util-linux's `script` (Debian: bsdutils,
# an essential package, so normally present).
if ! command -v script >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bsdutils >&2
  else
    echo "script(1) is missing: run 'sudo apt-get install -y bsdutils'" >&2
    exit 1
  fi
fi
browser="${TOGO_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Chromium is missing: run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium'" >&2
  echo "or point TOGO_CHROMIUM at a Chromium binary." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
test -x "$browser"
