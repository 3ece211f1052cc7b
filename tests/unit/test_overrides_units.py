"""Assessor overrides without a grading run: the files they write keep their mode, and an override of a
Communication line says that it does not change the total (issue 17)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from grader.atomicfile import write_json, write_text
from grader.reports.overrides import (
    INTERVIEW_NOTE,
    NOTE,
    OVERRIDES_FILE,
    finalize_folder,
    load_overrides,
    record_override,
)
from grader.rubric import INTERVIEW, SCORED, load_rubric


@pytest.fixture
def umask():
    """Set the process umask for one test, and put the old one back."""
    previous = os.umask(0o022)
    try:
        yield lambda mask: os.umask(mask)
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _graded_folder(tmp_path: Path) -> Path:
    """A folder holding a graded report.json: one automated line, one Communication line."""
    lines = [{"id": "prog.readability", "section": "prog", "title": "Readability", "status": SCORED, "level": 1,
              "confidence": 0.8, "needs_review": False, "reason": "level 1", "checks": ["PRG001"], "weight": 1.0},
             {"id": "comm.eda", "section": "comm", "title": "EDA", "status": INTERVIEW, "level": None,
              "confidence": 0.0, "needs_review": True, "reason": "assessed at the interview", "checks": [],
              "weight": 1.0}]
    report = {"status": "graded", "submission": {"name": "s", "digest": "d1", "source_id": "/subs/s"},
              "lines": lines, "score": {"points": 1.0, "max_points": 3.0, "percent": 33.3, "rule": {}}}
    folder = tmp_path / "out"
    write_json(report, folder / "report.json")
    return folder


def test_finalize_keeps_the_files_readable_by_group_and_others(tmp_path, umask):
    folder = _graded_folder(tmp_path)
    assert _mode(folder / "report.json") == 0o644
    record_override(folder, load_rubric(), "prog.readability", 2, "reads well", "A. Tan")
    assert _mode(folder / OVERRIDES_FILE) == 0o644
    finalize_folder(folder)
    assert _mode(folder / "report.json") == 0o644 and _mode(folder / OVERRIDES_FILE) == 0o644
    assert json.loads((folder / "report.json").read_text())["final"]["points"] == 2.0


def test_the_files_get_the_mode_the_umask_gives(tmp_path, umask):
    umask(0o027)
    path = write_text("x", tmp_path / "report.html")
    assert _mode(path) == 0o640
    write_text("y", path)  # a rewrite: a new file renamed over the old one, with the umask's mode again
    assert _mode(path) == 0o640 and path.read_text() == "y"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left behind


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = write_json({"a": 1}, tmp_path / "report.json")

    class Unprintable:
        def __str__(self):
            raise RuntimeError("cannot render")

    with pytest.raises(RuntimeError):
        write_json({"a": Unprintable()}, path)
    assert json.loads(path.read_text()) == {"a": 1} and len(list(tmp_path.iterdir())) == 1


def test_a_communication_override_says_it_is_outside_the_total_and_stores_no_note(tmp_path):
    folder = _graded_folder(tmp_path)
    comm = record_override(folder, load_rubric(), "comm.eda", 3, "clear story", "A. Tan")
    assert comm[NOTE] == INTERVIEW_NOTE and "outside the automated total" in comm[NOTE]
    automated = record_override(folder, load_rubric(), "prog.readability", 2, "reads well", "A. Tan")
    assert NOTE not in automated
    stored = load_overrides(folder)
    assert [o["line"] for o in stored] == ["comm.eda", "prog.readability"]
    assert not any(NOTE in o for o in stored)  # overrides.json keeps its shape
    final = finalize_folder(folder)["final"]
    assert final["points"] == 2.0 and final["interview_levels"] == {"comm.eda": 3}  # the comm level is not points
    assert not any(NOTE in item for item in final["audit"])
