"""Re-execution of the EDA notebook in the sandbox: the run to ask for, and its result read back.

The work happens inside the container (sandbox/tools/aie_nbrun.py): a fresh kernel runs the notebook
top to bottom and the tool prints one `AIE-NBRUN {json}` line last. That line shares stdout with
code the candidate wrote, so it is read as hostile input: the last marker line only, sizes capped,
every field type-checked, and anything malformed is None, never an exception.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path, PurePosixPath

from sandbox.base import TOOLS_PLACEHOLDER, Limits, RunResult, RunSpec

MARKER = "AIE-NBRUN "
LABEL = "notebook re-execution"
SANDBOX_MARGIN_S = 60.0  # copying the submission in, kernel start-up and shutdown, the tool's watchdog
MAX_LINE_CHARS = 400_000
MAX_CELLS = 2_000
MAX_ERROR_CHARS = 300
MAX_KINDS = 20
STATUSES = ("ok", "error", "timeout", "not_run")
MAX_NOTES = 20
MAX_NOTE_CHARS = 300
DATA_FILES_ENV = "AIE_DATA_FILES"  # the round's data file names: the tool puts them where the notebook reads them


def notebook_spec(submission_dir: Path, data_dir: Path, notebook: str, limits: Limits,
                  cell_timeout_s: float = 120, total_timeout_s: float = 600,
                  data_names: tuple[str, ...] | None = None) -> RunSpec:
    """The sandbox run that re-executes `notebook` (relative to the submission) top to bottom.

    data_names (by default the files staged in data_dir) are the data files the tool places where the
    notebook's code reads them, as an assessor would (sandbox/tools/aie_nbrun.py: place_data).
    """
    rel = PurePosixPath(notebook)
    if rel.is_absolute() or ".." in rel.parts or not str(rel).endswith(".ipynb"):
        raise ValueError(f"not a notebook path inside the submission: {notebook!r}")
    command = ("python", f"{TOOLS_PLACEHOLDER}/aie_nbrun.py", "--cell-timeout", f"{cell_timeout_s:g}",
               "--total-timeout", f"{total_timeout_s:g}", "--", str(rel))
    names = staged_names(data_dir) if data_names is None else list(data_names)
    return RunSpec(submission_dir=submission_dir, data_dir=data_dir, command=command,
                   limits=replace(limits, timeout_s=total_timeout_s + SANDBOX_MARGIN_S), label=LABEL, trace=False,
                   env=((DATA_FILES_ENV, json.dumps(names)),))


def staged_names(data_dir: Path) -> list[str]:
    """The names of the regular files staged in data_dir (none when it cannot be listed)."""
    try:
        return sorted(p.name for p in data_dir.iterdir() if p.is_file() and not p.is_symlink())
    except OSError:
        return []


def pick_eda_notebook(notebooks: list[str]) -> str | None:
    """The notebook the EDA task is in: eda.ipynb first, then the shallowest (as checks/eda.py reads it)."""
    if not notebooks:
        return None
    return sorted(notebooks, key=lambda p: (not p.endswith("eda.ipynb"), p.count("/"), p))[0]


def notebook_of(run: RunResult) -> str | None:
    """The notebook a re-execution ran, from its command (the last argument), not from its output."""
    if run.command and str(run.command[-1]).endswith(".ipynb"):
        return str(run.command[-1])
    return None


def notebook_notes(run: RunResult) -> list[str]:
    """The tool's notes on the re-execution (where it placed the data, as an assessor would), for run.notes."""
    result = parse_notebook_result(run)
    return list(result["notes"]) if result else []


def parse_notebook_result(run: RunResult) -> dict | None:
    """The tool's report from the LAST `AIE-NBRUN ` line of stdout, validated; None when absent or malformed.

    An earlier marker line is ignored even when the last one is malformed: the tool prints last, so
    anything before it may have been printed by the candidate's code.
    """
    try:
        line = next((ln for ln in reversed((run.stdout or "").splitlines()) if ln.startswith(MARKER)), None)
        if line is None or len(line) > MAX_LINE_CHARS:
            return None
        raw = json.loads(line[len(MARKER):])
        return _validated(raw)
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _int(value: object, low: int = 0, high: int = 10_000_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"not an integer in [{low}, {high}]: {value!r}")
    return value


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError(f"not a duration: {value!r}")
    return round(float(value), 3)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"not a boolean: {value!r}")
    return value


def _text(value: object, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a string: {value!r}")
    return value[:limit]


def _kinds(value: object) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_KINDS or not all(isinstance(k, str) for k in value):
        raise ValueError("not a list of output kinds")
    return [k[:40] for k in value]


def _cell(raw: object) -> dict:
    if not isinstance(raw, dict):
        raise ValueError("a cell is not an object")
    status = raw["status"]
    if status not in STATUSES:
        raise ValueError(f"unknown cell status {status!r}")
    count = raw["stored_count"]
    return {"cell": _int(raw["cell"], 1, 1_000_000), "stored_count": None if count is None else _int(count),
            "status": status, "error": _text(raw["error"], MAX_ERROR_CHARS), "seconds": _seconds(raw["seconds"]),
            "stale": _bool(raw["stale"]), "stored_kinds": _kinds(raw["stored_kinds"]),
            "fresh_kinds": _kinds(raw["fresh_kinds"])}


def _notes(value: object) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_NOTES or not all(isinstance(n, str) for n in value):
        raise ValueError("not a list of notes")
    return [n[:MAX_NOTE_CHARS] for n in value]


def _validated(raw: object) -> dict:
    if not isinstance(raw, dict):
        raise ValueError("the result is not an object")
    cells = raw["cells"]
    if not isinstance(cells, list) or len(cells) > MAX_CELLS:
        raise ValueError("cells is not a list of a sane length")
    return {
        "notebook": _text(raw.get("notebook"), 300),
        "cells": [_cell(c) for c in cells],
        "cells_truncated": _bool(raw.get("cells_truncated", False)),
        "code_cells": _int(raw["code_cells"]),
        "failed": _int(raw["failed"]),
        "timed_out": _bool(raw["timed_out"]),
        "out_of_order": _bool(raw["out_of_order"]),
        "unexecuted_with_code": _int(raw["unexecuted_with_code"]),
        "stale_cells": _int(raw["stale_cells"]),
        "seconds": _seconds(raw["seconds"]),
        "kernel_error": _text(raw["kernel_error"], 500),
        "notes": _notes(raw.get("notes", [])),
    }
