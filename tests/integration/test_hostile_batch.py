"""Issue 13 items 8 and 9: a cohort's names are data.

8. summary.csv never carries a formula: a submission folder named `=SUM(1+2)` (with `grader batch .`) or a cohort CSV
   whose location is `=SUM(1+2)` leaves a text cell, not a formula; genuine numbers stay numbers.
9. A new entry never takes an existing candidate's id: `alice tan/` added beside `alice-tan/` gets `alice-tan-2`,
   and Alice's assessor overrides never move to it, stale or not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.batch.runner import run_batch
from grader.cli import main
from grader.run.dynamic import DynamicOptions
from tests.cohort_helpers import tiny_submission
from tests.hostile_text_helpers import InProcess, csv_rows


@pytest.fixture
def in_process(monkeypatch):
    """`grader batch` grades in this process instead of a pool of fresh ones (seconds saved per test)."""
    import grader.batch.executors

    monkeypatch.setattr(grader.batch.executors, "LocalExecutor", InProcess)


def _batch(src: Path, out: Path, pack) -> None:
    run_batch(src, out, pack, str(pack.root), "none", DynamicOptions(), InProcess(), similarity=False)


def _assert_no_formula(rows: list[dict]) -> None:
    for row in rows:
        for column, value in row.items():
            assert not (value or "").startswith(("=", "+", "-", "@", "\t", "\r")), f"{column}: {value!r}"


# --- 8: formula cells --------------------------------------------------------------------------------------------


def test_summary_csv_of_a_folder_batch_has_no_formula_cells(tmp_path, mock_pack, monkeypatch, in_process):
    cohort = tmp_path / "cohort"
    tiny_submission(cohort, "=SUM(1+2)", 0)
    tiny_submission(cohort, "@cmd", 1)
    monkeypatch.chdir(cohort)  # `grader batch .`: the locations are the entries' own names
    assert main(["batch", ".", "--out", str(tmp_path / "out"), "--pack", str(mock_pack.root), "--backend", "none",
                 "--no-similarity"]) == 0
    rows = csv_rows(tmp_path / "out" / "summary.csv")
    assert {row["location"] for row in rows} == {"'=SUM(1+2)", "'@cmd"}
    assert all(row["status"] == "graded" for row in rows)
    _assert_no_formula(rows)


def test_summary_csv_of_a_csv_batch_has_no_formula_cells(tmp_path, mock_pack, monkeypatch, in_process):
    tiny_submission(tmp_path, "=SUM(1+2)", 0)
    (tmp_path / "cohort.csv").write_text("candidate_id,location\n=HYPERLINK(1),=SUM(1+2)\n-2+3,-2+3\n")
    monkeypatch.chdir(tmp_path)
    assert main(["batch", "cohort.csv", "--out", "out", "--pack", str(mock_pack.root), "--backend", "none",
                 "--no-similarity"]) == 0
    rows = {row["candidate_id"]: row for row in csv_rows(tmp_path / "out" / "summary.csv")}
    assert rows["HYPERLINK-1"]["location"] == "'=SUM(1+2)" and rows["HYPERLINK-1"]["status"] == "graded"
    assert rows["2-3"]["location"] == "'-2+3" and rows["2-3"]["status"] == "rejected"
    _assert_no_formula(list(rows.values()))


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
    rows = {row["candidate_id"]: row for row in csv_rows(out / "summary.csv")}
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
    rows = {row["candidate_id"]: row for row in csv_rows(out / "summary.csv")}
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
