#!/bin/bash
# Full pipeline. Options are passed through, e.g. bash run.sh --models rf xgb --no-tune
set -e
python -m src.pipeline "$@"
