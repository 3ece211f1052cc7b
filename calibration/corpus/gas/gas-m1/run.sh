#!/usr/bin/env bash
# Runs the full pipeline: validate -> clean -> features -> CV model comparison -> tuning
# -> test evaluation -> refit -> holdout predictions (output/predictions.csv).
# Extra arguments are passed through, e.g.  bash run.sh --config my_experiment.yaml
set -euo pipefail
# one BLAS/OpenMP thread: HistGradientBoosting otherwise over-subscribes a small machine
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
python -m src.main --config config.yaml "$@"
