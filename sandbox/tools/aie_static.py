"""Runs the grader's static checks inside the sandbox (never on the host): pylint, radon, nbformat, ast.

    python -I aie_static.py GRADER_CODE CONTEXT_JSON OUTPUT_JSON

The submission is the current directory (a copy of only the files the checks read). GRADER_CODE holds
a read-only copy of the grader's `checks` and `sandbox` packages; the evidence goes to OUTPUT_JSON,
which the host size-caps and validates. When the runner's own interpreter lacks the static tools,
this re-executes itself with the image's static-analysis interpreter.
"""
import os
import sys

STATIC_PYTHON = "/opt/aie-static/bin/python"


def main() -> int:
    code_dir, context_path, output_path = sys.argv[1:4]
    try:
        import pylint  # noqa: F401
        import radon  # noqa: F401
    except ImportError:
        if os.path.exists(STATIC_PYTHON) and sys.prefix != os.path.dirname(os.path.dirname(STATIC_PYTHON)):
            os.execv(STATIC_PYTHON, [STATIC_PYTHON, "-I", *sys.argv])
        raise
    sys.path.insert(0, os.path.abspath(code_dir))
    from checks.static_phase import context_from_json, evidence_to_json, run_static_checks

    with open(context_path, encoding="utf-8") as fh:
        ctx = context_from_json(os.path.realpath(os.getcwd()), fh.read())
    from pathlib import Path

    ctx.root = Path(ctx.root)
    evidence = run_static_checks(ctx)
    os.makedirs(os.path.dirname(output_path) or ".", exist_ok=True)
    with open(output_path, "w", encoding="utf-8") as fh:
        fh.write(evidence_to_json(evidence))
    return 0


if __name__ == "__main__":
    sys.exit(main())
