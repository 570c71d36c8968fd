#!/usr/bin/env bash
# Kept for callers of the old name: the test packages (Chromium among them) are installed by
# ensure-test-packages.sh.
set -euo pipefail
exec bash "$(dirname "$0")/ensure-test-packages.sh"
