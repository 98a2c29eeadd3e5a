#!/usr/bin/env bash
# Prints a PostgreSQL admin URL the tests can use. Uses the server on 127.0.0.1:5432 when one
# answers (or $RIUSA_TEST_DATABASE_URL when set); otherwise installs Debian's postgresql,
# starts a cluster with local trust authentication and uses that.
#
# It changes the authentication only of a cluster it created itself (here or in an earlier
# run, marked by a `# riusa-tests` line in its pg_hba.conf): a cluster that was already on the
# machine is somebody's database, and trust on loopback would open it to every local user.
set -euo pipefail
URL=${RIUSA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

answers() { psql "$URL" -qAtc 'SELECT 1' >/dev/null 2>&1; }

if command -v psql >/dev/null 2>&1 && answers; then
  echo "$URL"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
cluster_versions() { ls /etc/postgresql 2>/dev/null | sort -n; }
CLUSTERS_BEFORE=$(cluster_versions)
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
VERSION=$(cluster_versions | tail -1)
if [ -z "$VERSION" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $SUDO pg_createcluster "$VERSION" main >/dev/null
fi
HBA=/etc/postgresql/$VERSION/main/pg_hba.conf
if [ -z "$CLUSTERS_BEFORE" ]; then
  # Ours: made just now by pg_createcluster or by the package's installation. Tests connect
  # as postgres over loopback without a password, as on the CI machines.
  if ! $SUDO grep -q "riusa-tests" "$HBA"; then
    printf '# riusa-tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' | $SUDO tee -a "$HBA" >/dev/null
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$VERSION" main restart >/dev/null 2>&1 \
    || $SUDO pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start >/dev/null
elif $SUDO grep -q "riusa-tests" "$HBA" 2>/dev/null; then
  # Ours from an earlier run, stopped since (a reboot): start it again, unchanged.
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start >/dev/null 2>&1 || true
else
  echo "ensure-postgres: nothing answers at $URL, and the PostgreSQL $VERSION cluster" >&2
  echo "  that was already on this machine is left as it is. Start it and let the tests in," >&2
  echo "  or set RIUSA_TEST_DATABASE_URL to an admin URL of a server where they may create" >&2
  echo "  and drop databases." >&2
  exit 1
fi
for _ in $(seq 1 30); do
  answers && { echo "$URL"; exit 0; }
  sleep 1
done
echo "ensure-postgres: PostgreSQL does not answer at $URL" >&2
exit 1
