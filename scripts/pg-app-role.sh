#!/usr/bin/env bash
# Creates the restricted PostgreSQL role the server (and the tests' HTTP requests) run as, if it is missing,
# and prints "name:password" for DATABASE_APP_ROLE. Idempotent. Run as root (it uses `su postgres -c psql`)
# on a machine whose local PostgreSQL is running, e.g. after ../shared/ci/postgres.sh.
# Usage: export DATABASE_APP_ROLE=$(bash scripts/pg-app-role.sh [name] [password])
set -euo pipefail
role=${1:-ledger_app}
pass=${2:-ledger_app}
[[ "$role" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "pg-app-role.sh: bad role name $role" >&2; exit 1; }
# No superuser, no CREATEDB, no CREATEROLE: the tables' grants (src/db/roles.ts) are all it gets.
su postgres -c "psql -v ON_ERROR_STOP=1 -q" >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$pass' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
\$\$;
SQL
echo "$role:$pass"
