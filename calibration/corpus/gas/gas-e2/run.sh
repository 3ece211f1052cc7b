#!/bin/bash
# Run the full pipeline. Change the options here or pass them on the command line
# e.g.  python src/main.py --test-size 0.25 --models lightgbm
python src/main.py --data data/gas_monitoring.db --holdout data/holdout.db --output output --test-size 0.2 --cv-folds 3
