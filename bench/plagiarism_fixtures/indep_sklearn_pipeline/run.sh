#!/bin/bash
set -e
PYTHONPATH=src python src/pipeline.py config.yaml
