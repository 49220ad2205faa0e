#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite, every database test on SQLite and on a
# throwaway PostgreSQL server. Arguments go to pytest. To use a server of your own instead, set
# COMMANDCENTER_TEST_PG_URL to one where the tests may create and drop databases.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-postgresql
if [ -z "${COMMANDCENTER_TEST_PG_URL:-}" ]; then
  # shellcheck source=scripts/test_postgres.sh
  source scripts/test_postgres.sh
fi
# The whole suite runs in one process per core (pytest-xdist); each makes its own template
# databases. It also checks the packaged build, as far as Linux can (scripts/check_package.sh).
# A run given pytest arguments is a partial one: it runs as given and leaves the package out.
if [ $# -eq 0 ]; then
  .venv/bin/python -m pytest -n auto
  bash scripts/check_package.sh
else
  .venv/bin/python -m pytest "$@"
fi
