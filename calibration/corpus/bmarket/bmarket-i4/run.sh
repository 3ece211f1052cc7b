#!/bin/bash
# Runs the full pipeline. Change the settings below or set them before calling, e.g.
#   MODELS=xgboost CV_FOLDS=5 bash run.sh

export DB_PATH=${DB_PATH:-data/bmarket.db}
export HOLDOUT_PATH=${HOLDOUT_PATH:-data/holdout.db}
export OUTPUT_DIR=${OUTPUT_DIR:-output}
export TEST_SIZE=${TEST_SIZE:-0.2}
export SEED=${SEED:-42}
export CV_FOLDS=${CV_FOLDS:-3}
export MODELS=${MODELS:-logreg,xgboost}

cd src
DB_PATH=../$DB_PATH HOLDOUT_PATH=../$HOLDOUT_PATH OUTPUT_DIR=../$OUTPUT_DIR python pipeline.py
