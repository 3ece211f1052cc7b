#!/bin/bash
# run the full pipeline, any arguments are passed on (see README)
python src/pipeline.py "$@"
