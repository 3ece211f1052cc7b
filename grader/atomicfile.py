"""The grader's one way to write its own files (report.json, report.html, overrides.json): atomically, so a crash
mid-write never leaves a half file, and with the mode any new file gets under the user's umask (0644 under 022).

`tempfile.mkstemp` creates its file 0600 and a rename keeps that mode, so a file rewritten through it (e.g. by
`grader finalize`) would lose the group/other read bits (issue 17); the temporary file here is created like any
other new file instead.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

NEW_FILE_MODE = 0o666  # before the umask, as open() and touch create files
_ATTEMPTS = 100


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file beside `path` (never an existing file or link), opened for writing."""
    for _ in range(_ATTEMPTS):
        tmp = path.with_name(f".{path.name}-{secrets.token_hex(6)}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file beside {path}")


def write_text(text: str, path: Path) -> Path:
    """Write `text` to `path` atomically (a temporary file, then a rename), with the umask's mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_json(payload: object, path: Path) -> Path:
    """`payload` as indented JSON (values JSON cannot hold, e.g. paths, as their text), written atomically."""
    return write_text(json.dumps(payload, indent=2, default=str), path)
