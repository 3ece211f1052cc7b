#!/usr/bin/env bash
# Run the whole pipeline from the submission root. Extra arguments are passed on,
# e.g.  bash run.sh --config experiments/no_features.yaml
set -euo pipefail
cd "$(dirname "$0")"
python -m src.main --config config.yaml "$@"
