#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (ignores SIGTERM/SIGINT/SIGHUP) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/stubborn.py
