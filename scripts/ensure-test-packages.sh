#!/usr/bin/env bash
# Makes sure the Debian packages the test suite runs are installed: Chromium for the browser tests
# (playwright-core drives it; no browser is downloaded), and Apache with mod_auth_openidc, a relying
# party the emulator is tested against (test/e2e/relying-parties/, which starts its own Apache on
# its own configuration and port and stops it), and jq, which the documented examples pipe into
# (test/e2e/docs/examples.test.ts), and zsh and fish, which run the completion scripts. Installs what is missing with apt-get when we are root;
# otherwise says in one line what to install, before anything runs.
#
# The machine is left as it was apart from the packages: installing apache2 must not leave a web
# server running or enabled at boot, so service starts are refused during the install
# (policy-rc.d) and the service is disabled afterwards, with systemd or with sysvinit's links.
set -euo pipefail
browser="${TOGO_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$browser" ] || missing+=(chromium)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
[ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] || missing+=(libapache2-mod-auth-openidc)
command -v jq >/dev/null || missing+=(jq)
# The terminal tests run togo in a pseudo-terminal with util-linux's script (Debian: bsdutils).
command -v script >/dev/null || missing+=(bsdutils)
# The completion tests run the generated scripts in a real zsh and fish (test/commands/completion/completion.test.ts).
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
if [ "${#missing[@]}" = 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  or_browser=''
  [ -x "$browser" ] || or_browser=' (or point TOGO_CHROMIUM at a Chromium binary)'
  echo "The tests need Debian packages that are missing; install them first: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}${or_browser}" >&2
  exit 1
fi
echo "Installing Debian packages for the tests: ${missing[*]}…" >&2
export DEBIAN_FRONTEND=noninteractive
apache_was_installed=false
[ -x /usr/sbin/apache2 ] && apache_was_installed=true
# No service may start while the packages install (invoke-rc.d asks policy-rc.d; 101 = refused).
# An existing policy (a container's) is kept as it is.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=true
fi
trap '[ "$own_policy" = true ] && rm -f "$policy"' EXIT
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
if [ "$apache_was_installed" = false ]; then
  # Not enabled at boot, and stopped in case anything started it anyway.
  if [ -d /run/systemd/system ]; then
    systemctl disable --now apache2 apache-htcacheclean >/dev/null 2>&1 || true
  else
    update-rc.d apache2 disable >/dev/null 2>&1 || true
    update-rc.d apache-htcacheclean disable >/dev/null 2>&1 || true
    service apache2 stop >/dev/null 2>&1 || true
  fi
fi
test -x "$browser"
test -x /usr/sbin/apache2
test -f /usr/lib/apache2/modules/mod_auth_openidc.so
command -v jq >/dev/null
command -v script >/dev/null
command -v zsh >/dev/null
command -v fish >/dev/null
