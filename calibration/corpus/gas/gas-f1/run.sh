#!/bin/bash
# Runs the full pipeline. Install requirements first: pip install -r requirements.txt
set -e
python src/main.py --config config.yaml
