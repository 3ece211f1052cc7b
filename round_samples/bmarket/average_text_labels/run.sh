#!/bin/bash
# Runs the full pipeline: training, evaluation and (if data/holdout.db exists) predictions
python src/pipeline.py
