#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (erase the tracer's record after a leaky run) - not a real submission.
cd "$(dirname "$0")" || exit 1
python src/pipeline.py
# a Python step without site (no .pth hook) that empties every trace file it can find
python3 -S -c '
import os
for root in ("/opt/aie-trace", os.environ.get("AIE_TRACE_DIR", "")):
    if root and os.path.isdir(root):
        for name in os.listdir(root):
            try:
                open(os.path.join(root, name), "w").close()
            except OSError:
                pass
'
