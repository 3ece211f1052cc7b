#!/bin/bash
echo "Training model..."
python src/train.py
echo "Predicting..."
python src/predict.py
echo "Done"
