#!/bin/bash
# run the whole pipeline
python src/main.py --data data/deliveries.db --holdout data/holdout.db --n_estimators 100
