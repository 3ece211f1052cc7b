#!/bin/bash
set -e
python src/pipeline.py
