#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (switch the tracer off) - not a real submission.
cd "$(dirname "$0")" || exit 1
unset AIE_HOOK AIE_TRACE_DIR AIE_RUN_CONFIG PYTHONPATH $(compgen -e | grep "^AIE_")
python src/pipeline.py
