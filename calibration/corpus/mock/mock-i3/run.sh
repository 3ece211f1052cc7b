#!/bin/bash
set -e
python -m src.run_pipeline --config config.json "$@"
