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
.venv/bin/python -m pytest "$@"
# The whole suite also checks the packaged build, as far as Linux can (scripts/check_package.sh);
# a run given pytest arguments is a partial one and leaves it out.
if [ $# -eq 0 ]; then
  bash scripts/check_package.sh
fi
