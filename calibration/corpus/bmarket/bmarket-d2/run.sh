#!/bin/bash
# runs the full pipeline
python src/pipeline.py --config config.json
