#!/usr/bin/env bash
# Set up (if needed) and run the benchmark suite; prints a table of figures and ratios.
# The first run generates the full-scale demo database into .bench/ (about 25 minutes, 1.9 GB).
# Figure 7 (the GUI through the real event loop) also runs on a throwaway PostgreSQL server when
# this machine has one (scripts/test_postgres.sh), on a demo street of --pg-incidents incidents.
# Several workstations at once (a load test, not run from here):
#   .venv/bin/python -m benchmarks.workday_load --db postgresql://…/cc_load --clients 8 --seconds 600
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/test_postgres.sh
.venv/bin/python -m benchmarks.run "$@"
