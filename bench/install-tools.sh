#!/usr/bin/env bash
# Installs the tools `npm run bench` compares togo with, or measures it with. The bench itself only
# detects them and reports the missing ones; run this once by hand (as root, for apt-get).
set -euo pipefail
cd "$(dirname "$0")"
missing=()
[ -x /usr/bin/jwt ] || missing+=(jwt)    # golang-jwt's command-line tool
[ -x /usr/bin/time ] || missing+=(time)  # GNU time: CPU time and max RSS of child processes
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y "${missing[@]}"
fi
# The jwt-cli npm package, in a git-ignored prefix beside the bench.
npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund jwt-cli
