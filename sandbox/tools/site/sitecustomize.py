"""The local runner's loader of the grader's in-sandbox hook (the runner image loads it from `encodings`)."""
import os

_hook = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "hook.py")
if os.environ.get("AIE_RUN_CONFIG"):
    try:
        with open(_hook, "rb") as _fh:
            exec(compile(_fh.read(), _hook, "exec"), {"__name__": "aie_hook", "__file__": _hook})
    except Exception:  # noqa: BLE001 - the candidate's program runs whatever happens here
        pass
