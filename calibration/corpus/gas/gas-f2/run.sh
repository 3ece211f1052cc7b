#!/usr/bin/env bash
python src/run_pipeline.py --config config.json
