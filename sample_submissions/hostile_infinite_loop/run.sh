#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (infinite loop) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/spin.py
