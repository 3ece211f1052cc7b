#!/usr/bin/env bash
# Train, evaluate and score data/holdout.db in one go. Extra args go to src.pipeline,
# e.g.  bash run.sh --seed 3 --only logreg forest
set -euo pipefail
cd "$(dirname "$0")"

# single-threaded BLAS/OpenMP: faster on a small shared box
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

python -m src.pipeline --config config.yaml "$@"
