#!/bin/bash
# Run the whole pipeline from the submission root: bash run.sh
set -e
cd "$(dirname "$0")"
python src/main.py
