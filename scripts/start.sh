#!/usr/bin/env bash
# Set up (if needed) and open 指挥中心工作台. Arguments go to the app, e.g. --demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/commandcenter "$@"
