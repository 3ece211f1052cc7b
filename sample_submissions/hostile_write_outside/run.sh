#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (write outside the workspace) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/scribble.py
