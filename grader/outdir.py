"""Choosing and checking an output folder before any work is done, so a finished grading is never lost to it."""

from __future__ import annotations

import tempfile
from pathlib import Path


def source_problem(source: Path) -> str | None:
    """Why `source` cannot be read (None when it exists); a folder the user cannot enter is said, not raised."""
    try:
        return None if source.exists() else f"{source}: no such file or directory"
    except OSError as exc:
        return f"{source}: cannot read it: {exc.strerror or exc}"


def default_check_out(source: Path, name: str, cwd: Path | None = None) -> Path:
    """grader-out/<name> in the working folder, or beside the submission when the working folder is inside it
    (`grader check .`): reports written into a submission would be graded by the next check."""
    cwd = (cwd or Path.cwd()).resolve()
    source = (cwd / source).resolve()
    chosen = cwd / "grader-out" / name
    if source.is_dir() and _inside(chosen, source):
        return source.parent / "grader-out" / name
    return chosen


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def out_problem(out: Path, inputs: tuple[Path, ...] = ()) -> str | None:
    """Why `out` cannot take the reports (None when it can): inside an input, not a folder, or not writable.
    Creates the folder when it is missing."""
    try:
        for source in inputs:
            if source.is_dir() and _inside(out, source):
                return (f"--out {out} is inside {source}: the reports would become part of what is graded next "
                        f"time; choose a folder outside it")
        if out.exists() and not out.is_dir():
            return f"--out {out} exists and is not a folder"
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as exc:
        return f"cannot write the reports to {out}: {exc.strerror or exc}"
    return None


def folder_problem(dest: Path, force: bool) -> str | None:
    """Why `dest` cannot receive new files (None when it can): not a folder, not empty without --force, no access."""
    try:
        if dest.exists() and not dest.is_dir():
            return f"{dest} exists and is not a folder"
        if dest.is_dir() and any(dest.iterdir()) and not force:
            return f"{dest} is not empty (use --force to write into it)"
    except OSError as exc:
        return f"cannot write to {dest}: {exc.strerror or exc}"
    return None
