#!/usr/bin/env bash
# Installs the tools `npm run bench` compares togo with. The bench itself only detects them and
# reports the missing ones; run this once by hand (as root for apt-get).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v /usr/bin/jwt >/dev/null; then
  apt-get update -qq && apt-get install -y jwt    # golang-jwt's command-line tool
fi
if ! command -v /usr/bin/time >/dev/null; then
  apt-get install -y time                         # GNU time: CPU and max RSS of child processes
fi
# The jwt-cli npm package, in a git-ignored prefix beside the bench.
npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund jwt-cli
