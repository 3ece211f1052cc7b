#!/bin/bash
# run the whole pipeline; extra args go to main.py (see README)
python src/main.py "$@"
