#!/usr/bin/env bash
# Runs the full pipeline: load -> clean -> features -> train/tune -> evaluate -> (predict holdout).
# Extra arguments are passed to src/main.py, e.g.  bash run.sh --models random_forest
set -euo pipefail
cd "$(dirname "$0")"
python -m src.main --config config.yaml "$@"
