#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (memory bomb) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/hog.py
