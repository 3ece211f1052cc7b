#!/bin/bash
# run whole pipeline (train + evaluate + predict holdout)
python src/pipeline.py --config config.json
