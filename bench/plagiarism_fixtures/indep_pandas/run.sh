#!/bin/bash
set -e
PYTHONPATH=src python src/train.py
