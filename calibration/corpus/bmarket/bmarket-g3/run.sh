#!/usr/bin/env bash
# Runs the full pipeline (validate -> clean -> features -> search -> threshold -> test -> predict).
# Dependencies must already be installed: pip install -r requirements.txt
set -euo pipefail
cd "$(dirname "$0")"
python -m src.bankmkt --config "${CONFIG:-config.yaml}"
