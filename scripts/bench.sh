#!/usr/bin/env bash
# Set up (if needed) and run the benchmark suite; prints a table of figures and ratios.
# The first run generates the full-scale demo database into .bench/ (about 25 minutes, 1.9 GB).
# Figure 7 (the GUI through the real event loop) also runs on a throwaway PostgreSQL server when
# this machine has one (scripts/test_postgres.sh), on a demo street of --pg-incidents incidents;
# or, with --pg-database URL, on an existing PostgreSQL database (cloned for each run; figure 2
# reads it too). --engines sqlite or --engines postgresql runs figures 2 and 7 on one engine.
# The full street is loaded into an empty PostgreSQL database from its SQLite file in minutes
# (the generator takes 25-45 minutes there), keeping the audit chain intact:
#   .venv/bin/python -m benchmarks.pg_copy .bench/full-scale-300000.db \
#     postgresql+psycopg://postgres@127.0.0.1:5432/cc_full --create
#   bash scripts/bench.sh --only 2,7 --pg-database postgresql+psycopg://postgres@127.0.0.1:5432/cc_full
# Several workstations at once (a load test, not run from here):
#   .venv/bin/python -m benchmarks.workday_load --db postgresql://…/cc_load --clients 8 --seconds 600
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/test_postgres.sh
.venv/bin/python -m benchmarks.run "$@"
