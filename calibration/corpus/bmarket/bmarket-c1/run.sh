#!/usr/bin/env bash
# Runs the full pipeline: load -> validate -> clean -> features -> CV model selection
# -> threshold on validation -> test evaluation -> holdout predictions.
# Dependencies are installed beforehand with: pip install -r requirements.txt
set -euo pipefail

cd "$(dirname "$0")"
# Small dense matrices: BLAS multithreading only adds overhead on the 1-core assessment machine.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
CONFIG="${1:-config.yaml}"

python -m src.main --config "$CONFIG"
