#!/usr/bin/env bash
# Makes the local PostgreSQL usable for Parma: starts Debian's cluster if it is installed but stopped, then
# creates the role parma/parma (CREATEDB) and the service databases, idempotently.
# Used by ./parma (local runs) and .ci/run (tests). Needs root or the postgres OS user for the first run.
set -euo pipefail

PGPORT=${PGPORT:-5432}

ready() { pg_isready -q -h 127.0.0.1 -p "$PGPORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "PostgreSQL client tools are missing. Install PostgreSQL: sudo apt-get install -y postgresql" >&2
  exit 1
fi

if ! ready; then
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "starting PostgreSQL $version cluster 'main'…"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do ready && break; sleep 0.5; done
  fi
fi
if ! ready; then
  echo "PostgreSQL is not running on 127.0.0.1:$PGPORT and no Debian cluster could be started." >&2
  echo "Install and start it:  sudo apt-get install -y postgresql && sudo pg_ctlcluster \$(ls /etc/postgresql) main start" >&2
  exit 1
fi

# Run SQL as the database superuser: via the postgres OS user when we are root, else over TCP.
admin_psql() {
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -p $PGPORT $*"
  else
    psql -v ON_ERROR_STOP=1 -qtA -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"
  fi
}

if [ "$(admin_psql -c "\"SELECT 1 FROM pg_roles WHERE rolname='parma'\"")" != 1 ]; then
  admin_psql -c "\"CREATE ROLE parma LOGIN CREATEDB PASSWORD 'parma'\""
fi
for db in parma_deployment parma_attestation parma_gateway; do
  if [ "$(admin_psql -c "\"SELECT 1 FROM pg_database WHERE datname='$db'\"")" != 1 ]; then
    admin_psql -c "\"CREATE DATABASE $db OWNER parma\""
  fi
done
echo "PostgreSQL ready on 127.0.0.1:$PGPORT (role parma, databases parma_deployment, parma_attestation, parma_gateway)"
