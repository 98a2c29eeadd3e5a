#!/usr/bin/env bash
# Drops the per-test databases (riusa_test_*) and templates left by earlier runs.
set -euo pipefail
URL=$1
psql "$URL" -qAtc "SELECT datname FROM pg_database WHERE datname LIKE 'riusa\_test\_%' OR datname LIKE 'riusa\_tpl\_%'" |
  while read -r name; do
    [ -n "$name" ] && psql "$URL" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  done
