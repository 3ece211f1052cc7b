#!/usr/bin/env bash
# Runs the whole pipeline: load -> validate -> clean -> features -> grouped CV tuning -> test -> predict.
# Extra arguments are passed on, e.g.  bash run.sh --models random_forest
set -euo pipefail
cd "$(dirname "$0")"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"   # the pipeline is sized for one core
CONFIG="${CONFIG:-config.yaml}"
python -m src.main --config "$CONFIG" "$@"
