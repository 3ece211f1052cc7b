#!/bin/bash
# Runs the full pipeline. Install requirements first: pip install -r requirements.txt
python -m src.main --config config.yaml
