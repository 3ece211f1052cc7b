#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (switch the tracer off) - not a real submission.
cd "$(dirname "$0")" || exit 1
unset AIE_HOOK AIE_TRACE_DIR
python src/pipeline.py
