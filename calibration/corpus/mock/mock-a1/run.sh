#!/usr/bin/env bash
# Runs the full pipeline: ingest -> validate/clean -> features -> train (CV) -> evaluate -> predict.
# Usage: bash run.sh [path/to/config.yaml]
set -euo pipefail
cd "$(dirname "$0")"
CONFIG="${1:-config.yaml}"
# the pipeline is sized for one CPU core; stop OpenMP from oversubscribing
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
python -m src.pipeline --config "$CONFIG"
