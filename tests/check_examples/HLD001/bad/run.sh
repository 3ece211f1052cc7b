#!/usr/bin/env bash
set -euo pipefail
python src/main.py
