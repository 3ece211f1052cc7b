#!/usr/bin/env bash
# End-to-end run of the late-delivery pipeline.
# Settings are read from environment variables (see src/settings.py), e.g.
#   LATE_MODELS=lightgbm LATE_N_ITER=20 bash run.sh
set -euo pipefail

cd src && python main.py
