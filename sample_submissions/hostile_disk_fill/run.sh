#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (disk fill) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/fill.py
