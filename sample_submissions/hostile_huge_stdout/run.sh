#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (huge stdout) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/flood.py
