#!/usr/bin/env bash
# Set up (if needed) and run the benchmark suite; prints a table of figures and ratios.
# The first run generates the full-scale demo database into .bench/ (about 25 minutes, 1.9 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m benchmarks.run "$@"
