#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (native code run by static analysis) - not a real submission.
cd "$(dirname "$0")" || exit 1
python src/pipeline.py
