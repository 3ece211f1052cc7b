#!/bin/bash
# usage: bash run.sh   (another config: CONFIG=other.json bash run.sh)
python src/main.py
