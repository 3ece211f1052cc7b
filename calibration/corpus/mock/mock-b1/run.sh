#!/usr/bin/env bash
# Runs the full pipeline. Extra options are passed to src/main.py, e.g.
#   bash run.sh --test-size 0.25 --models gboost
set -euo pipefail
cd "$(dirname "$0")"
python -m src.main "$@"
