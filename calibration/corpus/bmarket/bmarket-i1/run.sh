#!/usr/bin/env bash
# Run the whole pipeline from the submission root. Extra arguments are passed to src.main,
# e.g.  bash run.sh --models lightgbm --n-iter 20
set -euo pipefail
cd "$(dirname "$0")"
python -m src.main --config "${CONFIG:-config.yaml}" "$@"
