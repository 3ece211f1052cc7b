
# aie-grader: load the grading hook in every interpreter of a grading run (sandbox/tools/hook.py).
def _aie_boot():
    import io as _io
    import os as _os
    _path = "/opt/aie-tools/hook.py"
    if _os.path.isfile("/opt/aie-run/run.json") and _os.path.isfile(_path):
        with _io.open(_path, "rb") as _fh:  # noqa: UP020 - builtins.open does not exist yet this early
            exec(compile(_fh.read(), _path, "exec"), {"__name__": "aie_hook", "__file__": _path})


try:
    _aie_boot()
except Exception:
    pass
del _aie_boot
