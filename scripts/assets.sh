#!/usr/bin/env bash
# Installs the front-end packages (npm, pinned by web/package-lock.json) and builds web/dist,
# which the server embeds. Skips npm when node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.riusa-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.riusa-lock
fi
npm run --silent build >/dev/null
