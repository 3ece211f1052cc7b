#!/usr/bin/env bash
set -euo pipefail
# Override config with LATEPRED_CONFIG=path/to/config.json or LATEPRED_* env vars
export LATEPRED_CONFIG="${LATEPRED_CONFIG:-config.json}"
python -m src.main
