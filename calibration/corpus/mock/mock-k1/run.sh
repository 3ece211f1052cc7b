#!/usr/bin/env bash
# Runs the whole pipeline from the submission root. Extra args go to src.main,
# e.g.  bash run.sh --models hist_gb logreg
set -euo pipefail
# one thread per library: the search already runs many small fits, and
# nested OpenMP threads made gradient boosting much slower on a 2-core laptop
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
python -m src.main --config "${CONFIG:-config.yaml}" "$@"
