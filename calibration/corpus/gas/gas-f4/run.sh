#!/usr/bin/env bash
# Runs the full pipeline from the submission root. Extra arguments are passed through,
# e.g.  bash run.sh --set training.n_iter=10
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python -m src.pipeline --config config.toml "$@"
