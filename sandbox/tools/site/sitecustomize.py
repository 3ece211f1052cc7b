"""Fallback loader of the grader's in-sandbox hook for interpreters without aie_hook.pth (local runner)."""
import os

if os.environ.get("AIE_HOOK"):
    try:
        with open(os.environ["AIE_HOOK"], "rb") as _fh:
            exec(compile(_fh.read(), os.environ["AIE_HOOK"], "exec"), {"__name__": "aie_hook"})
    except Exception:  # noqa: BLE001 - the candidate's program runs whatever happens here
        pass
