#!/bin/bash
echo "Step 1: preprocessing"
python src/preprocess.py
echo "Step 2: training"
python src/train.py
echo "Step 3: predicting"
python src/predict.py
echo "Done!"
