"""Issue 13 items 8 and 9: a cohort's names are data.

8. summary.csv never carries a formula: a submission folder named `=SUM(1+2)` (with `grader batch .`) or a cohort CSV
   whose location is `=SUM(1+2)` leaves a text cell, not a formula; genuine numbers stay numbers.
9. A new entry never takes an existing candidate's id: `alice tan/` added beside `alice-tan/` gets `alice-tan-2`,
   and Alice's assessor overrides never move to it, stale or not.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from cohort_helpers import tiny_submission

from grader.batch.runner import run_batch
from grader.batch.task import grade_task
from grader.cli import main
from grader.reports.cohort import Row, write_summary
from grader.rubric import load_rubric
from grader.run.dynamic import DynamicOptions

FORMULAS = ("=SUM(1+2)", "+1+2", "-1+2", "@SUM(1)", "\t=1+2", "\r=1+2")


class InProcess:
    """Grades in this process (fast): the real grade_task, one after the other."""

    description = "in-process"

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def run(self, tasks):
        for task in tasks:
            yield grade_task(task)

    def close(self) -> None:
        pass


@pytest.fixture
def in_process(monkeypatch):
    """`grader batch` grades in this process instead of a pool of fresh ones (seconds saved per test)."""
    import grader.batch.executors

    monkeypatch.setattr(grader.batch.executors, "LocalExecutor", InProcess)


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _batch(src: Path, out: Path, pack) -> None:
    run_batch(src, out, pack, str(pack.root), "none", DynamicOptions(), InProcess(), similarity=False)


def _assert_no_formula(rows: list[dict]) -> None:
    for row in rows:
        for column, value in row.items():
            assert not (value or "").startswith(("=", "+", "-", "@", "\t", "\r")), f"{column}: {value!r}"


# --- 8: formula cells --------------------------------------------------------------------------------------------


def test_csv_cell_neutralises_formulas_and_keeps_numbers():
    from grader.textsafe import csv_cell

    for formula in FORMULAS:
        assert csv_cell(formula) == "'" + formula
    assert csv_cell(-0.25) == -0.25 and csv_cell(-3) == -3 and csv_cell(True) is True and csv_cell(None) is None
    assert csv_cell("-0.25") == "-0.25" and csv_cell("+3") == "+3" and csv_cell("-1e-3") == "-1e-3"  # number literals
    assert csv_cell("plain") == "plain" and csv_cell("") == "" and csv_cell("a=b") == "a=b"


def test_summary_csv_of_a_folder_batch_has_no_formula_cells(tmp_path, mock_pack, monkeypatch, in_process):
    cohort = tmp_path / "cohort"
    tiny_submission(cohort, "=SUM(1+2)", 0)
    tiny_submission(cohort, "@cmd", 1)
    monkeypatch.chdir(cohort)  # `grader batch .`: the locations are the entries' own names
    assert main(["batch", ".", "--out", str(tmp_path / "out"), "--pack", str(mock_pack.root), "--backend", "none",
                 "--no-similarity"]) == 0
    rows = _rows(tmp_path / "out" / "summary.csv")
    assert {row["location"] for row in rows} == {"'=SUM(1+2)", "'@cmd"}
    assert all(row["status"] == "graded" for row in rows)
    _assert_no_formula(rows)


def test_summary_csv_of_a_csv_batch_has_no_formula_cells(tmp_path, mock_pack, monkeypatch, in_process):
    tiny_submission(tmp_path, "=SUM(1+2)", 0)
    (tmp_path / "cohort.csv").write_text("candidate_id,location\n=HYPERLINK(1),=SUM(1+2)\n-2+3,-2+3\n")
    monkeypatch.chdir(tmp_path)
    assert main(["batch", "cohort.csv", "--out", "out", "--pack", str(mock_pack.root), "--backend", "none",
                 "--no-similarity"]) == 0
    rows = {row["candidate_id"]: row for row in _rows(tmp_path / "out" / "summary.csv")}
    assert rows["HYPERLINK-1"]["location"] == "'=SUM(1+2)" and rows["HYPERLINK-1"]["status"] == "graded"
    assert rows["2-3"]["location"] == "'-2+3" and rows["2-3"]["status"] == "rejected"
    _assert_no_formula(list(rows.values()))


def test_write_summary_neutralises_every_column_but_keeps_negative_numbers(tmp_path):
    rubric = load_rubric()
    report = {"score": {"points": 10, "max_points": 48, "percent": 20.8, "passed": False, "provisional": False,
                        "section_levels": {}},
              "heldout": {"primary_metric": "f1", "valid": True, "metrics": {"f1": -0.5}},
              "runs": [], "flags": ["=flag"]}
    rows = [Row("cand", "=SUM(1+2)", "graded", error="+boom", report=report, report_path="@x/report.html",
                wall_s=1.5, pipeline_s=-1.0)]
    path = write_summary(rows, rubric, tmp_path / "summary.csv")
    (row,) = _rows(path)
    assert row["location"] == "'=SUM(1+2)" and row["error"] == "'+boom" and row["report"] == "'@x/report.html"
    assert row["flags"] == "'=flag"
    assert row["heldout_value"] == "-0.5" and row["pipeline_s"] == "-1.0"  # numbers stay numbers


# --- 9: ids and overrides ----------------------------------------------------------------------------------------


def _review(folder: Path, reason: str) -> None:
    assert main(["review", str(folder), "--line", "prog.readability", "--level", "3", "--reason", reason,
                 "--assessor", "A. Assessor"]) == 0


def test_a_new_entry_never_takes_an_existing_id_nor_its_overrides(tmp_path, mock_pack):
    src, out = tmp_path / "cohort", tmp_path / "out"
    tiny_submission(src, "alice-tan", 0)
    _batch(src, out, mock_pack)
    _review(out / "submissions" / "alice-tan", "Alice explained her feature choices well")

    tiny_submission(src, "alice tan", 1)  # sorts before alice-tan; different content
    _batch(src, out, mock_pack)
    rows = {row["candidate_id"]: row for row in _rows(out / "summary.csv")}
    assert set(rows) == {"alice-tan", "alice-tan-2"}
    assert rows["alice-tan"]["location"].endswith("/alice-tan")
    assert rows["alice-tan-2"]["location"].endswith("/alice tan")
    alice = out / "submissions" / "alice-tan"
    assert json.loads((alice / "batch.json").read_text())["source"] == "alice-tan"
    assert main(["finalize", str(alice)]) == 0  # Alice keeps her override, current (her submission is unchanged)
    final = json.loads((alice / "report.json").read_text())["final"]
    assert len(final["audit"]) == 1 and not final["stale_overrides"]
    newcomer = out / "submissions" / "alice-tan-2"
    report = json.loads((newcomer / "report.json").read_text())
    assert "final" not in report and not (newcomer / "overrides.json").exists()
    assert "Alice explained" not in (newcomer / "report.html").read_text()

    _batch(src, out, mock_pack)  # and the ids stay put on every later run
    rows = {row["candidate_id"]: row for row in _rows(out / "summary.csv")}
    assert rows["alice-tan-2"]["location"].endswith("/alice tan") and rows["alice-tan"]["location"].endswith(
        "/alice-tan")


def test_a_newcomer_with_identical_content_gets_no_overrides(tmp_path, mock_pack):
    src, out = tmp_path / "cohort", tmp_path / "out"
    tiny_submission(src, "alice-tan", 0)
    _batch(src, out, mock_pack)
    _review(out / "submissions" / "alice-tan", "reviewed in person")
    shutil.copytree(src / "alice-tan", src / "alice_tan")  # the same bytes: graded once and copied
    _batch(src, out, mock_pack)
    copy = out / "submissions" / "alice_tan"
    assert json.loads((copy / "batch.json").read_text())["copied_from"] == "alice-tan"
    assert not (copy / "overrides.json").exists() and "final" not in json.loads((copy / "report.json").read_text())


def test_overrides_of_another_source_are_never_applied_even_as_stale(tmp_path, mock_pack):
    out = tmp_path / "grader-out" / "cand"  # `grader check` defaults to grader-out/<name> for both
    first = tiny_submission(tmp_path / "one", "cand", 0)
    second = tiny_submission(tmp_path / "two", "cand", 1)
    assert main(["check", str(first), "--pack", str(mock_pack.root), "--backend", "none", "--out", str(out)]) == 0
    _review(out, "first candidate's override")
    assert main(["check", str(second), "--pack", str(mock_pack.root), "--backend", "none", "--out", str(out)]) == 0
    final = json.loads((out / "report.json").read_text()).get("final") or {}
    assert not final.get("audit") and not final.get("stale_overrides")
    assert "first candidate's override" not in (out / "report.html").read_text()
    assert main(["check", str(first), "--pack", str(mock_pack.root), "--backend", "none", "--out", str(out)]) == 0
    assert len(json.loads((out / "report.json").read_text())["final"]["audit"]) == 1  # still the first one's
