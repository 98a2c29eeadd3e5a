#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium (the browser checks in
# tests/browser/ drive it; no browser is ever downloaded by npm).
# Idempotent and quiet: prints nothing unless something goes wrong.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0

# Run apt as root, through sudo (non-interactive) when we are not root.
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -n"
else
  echo "install-chromium: $CHROMIUM is missing; run this script as root or install sudo" >&2
  exit 1
fi

LOG=$(mktemp -t install-chromium.XXXXXX)
trap 'rm -f "$LOG"' EXIT
run_apt() {
  $SUDO env DEBIAN_FRONTEND=noninteractive "$@" >>"$LOG" 2>&1
}
fail() {
  echo "install-chromium: $1" >&2
  cat "$LOG" >&2
  exit 1
}

# chromium itself, plus one basic font for text that the pages' web fonts do not cover.
PACKAGES=(chromium fonts-dejavu-core)
install_packages() {
  run_apt apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
}

# Refresh the package lists only when needed: when apt knows no candidate for
# chromium (fresh images ship without lists), or when installing from the
# current lists fails (stale lists point to files the mirror no longer has).
policy=$(apt-cache policy chromium 2>/dev/null || true)
if [[ "$policy" != *"Candidate: "[0-9]* ]]; then
  run_apt apt-get update -q || fail "apt-get update failed"
fi
if ! install_packages; then
  run_apt apt-get update -q || fail "apt-get update failed"
  install_packages || fail "apt-get install ${PACKAGES[*]} failed"
fi

[ -x "$CHROMIUM" ] || fail "apt-get install succeeded but $CHROMIUM is missing"
