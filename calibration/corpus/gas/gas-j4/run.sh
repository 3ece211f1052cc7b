#!/bin/bash
# Runs the full ML pipeline. Change settings in config.json.
python -m src.pipeline --config config.json
