#!/bin/bash
# run the whole pipeline with the settings in config.yaml
python src/pipeline.py --config config.yaml
