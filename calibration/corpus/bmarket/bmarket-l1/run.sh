#!/usr/bin/env bash
# Runs the full pipeline: load -> validate -> clean -> train/tune (CV) -> test evaluation -> holdout predictions.
# Extra arguments are passed to the pipeline, e.g.  bash run.sh --set training.n_iter=10
set -euo pipefail
python -m src.main --config config.yaml "$@"
