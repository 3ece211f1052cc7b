#!/usr/bin/env bash
# Runs the late-delivery pipeline end to end: cleaning, training, evaluation, holdout predictions.
#   bash run.sh                      # settings from config.yaml
#   bash run.sh --config other.yaml  # another configuration
set -euo pipefail
cd "$(dirname "$0")"
python -m src.main --config config.yaml "$@"
