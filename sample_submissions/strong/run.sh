#!/usr/bin/env bash
# Run the whole late-delivery pipeline end to end.
#   bash run.sh                          # default settings from config.yaml
#   bash run.sh --seed 7 --models logistic_regression random_forest
# Expects data/deliveries.db and data/holdout.db next to this script; writes output/.
set -euo pipefail
cd "$(dirname "$0")"

# One thread per numeric library: the models are small, and OpenMP/BLAS threads
# fighting over a busy or single-core machine make the run slower, not faster.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

python -m src.main --config config.yaml "$@"
