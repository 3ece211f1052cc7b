#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (hunt for the grader's labels) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/hunt.py
