#!/bin/bash
# runs the full pipeline (training + predictions on data/holdout.db)
python src/main.py
