#!/usr/bin/env bash
# Run the full pipeline from the repository root.
# Optional: PIPELINE_CONFIG=config/other.yaml bash run.sh
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$SCRIPT_DIR"
python -m src.pipeline "$@"
