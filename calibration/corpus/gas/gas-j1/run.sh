#!/usr/bin/env bash
# Run the full pipeline: validate -> clean -> features -> train/tune -> evaluate -> predict.
# Usage: bash run.sh [config.yaml]
set -euo pipefail
cd "$(dirname "$0")"
CONFIG="${1:-config.yaml}"
# Single-threaded BLAS/OpenMP: the models are small, and extra threads only slow things down
# on shared or container CPUs. Override by exporting OMP_NUM_THREADS before calling run.sh.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
python -m src.main --config "$CONFIG"
