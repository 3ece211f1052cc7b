#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (network exfiltration) - not a real submission.
cd "$(dirname "$0")" || exit 1
exec python src/exfil.py
