#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (read host files and secrets) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/snoop.py
