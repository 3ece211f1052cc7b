"""HOSTILE TEST FIXTURE: flood stdout with 300 MB of 'x' lines, then report and exit 0."""

import json
import os
import sys

ATTACK = "huge_stdout"
TOTAL = 300 * 10**6                    # 300 MB
LINE = b"x" * 1000 + b"\n"
BLOCK = LINE * 1024                    # ~1 MB per write


def main():
    out = sys.stdout.buffer
    written = 0
    error = None
    try:
        while written < TOTAL:
            chunk = BLOCK if TOTAL - written >= len(BLOCK) else LINE * ((TOTAL - written) // len(LINE) + 1)
            out.write(chunk)
            written += len(chunk)
        out.flush()
    except (BrokenPipeError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    line = json.dumps({"attack": ATTACK, "succeeded": False,
                       "details": {"bytes": written, "error": error}}, separators=(",", ":"))
    try:
        os.makedirs("output", exist_ok=True)
        with open(os.path.join("output", "attack.json"), "w") as fh:
            fh.write(line + "\n")
    except Exception:
        pass
    try:
        out.write(("ATTACK-RESULT " + line + "\n").encode())
        out.flush()
    except (BrokenPipeError, OSError):
        pass
    return 0


if __name__ == "__main__":
    code = main()
    try:
        sys.stdout.flush()
    except Exception:
        pass
    os._exit(code)
