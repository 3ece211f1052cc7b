"""Loaded at interpreter start-up inside the sandbox (through aie_hook.pth) when AIE_HOOK is set.

It puts the submission's installed requirements (AIE_ENV_LAYER) in front of the runner's own
libraries and, when AIE_TRACE_DIR is set, starts the tracer. It must never break the candidate's
program: every failure here is swallowed and recorded.
"""
import os
import sys

try:
    _layer = os.environ.get("AIE_ENV_LAYER")
    if _layer and os.path.isdir(_layer) and _layer not in sys.path:
        sys.path.insert(0, _layer)
    if os.environ.get("AIE_TRACE_DIR"):
        _tools = os.path.dirname(os.path.abspath(os.environ["AIE_HOOK"]))
        if _tools not in sys.path:
            sys.path.append(_tools)
        import aie_tracer

        aie_tracer.install()
except Exception:  # noqa: BLE001 - the candidate's program runs whatever happens here
    pass
