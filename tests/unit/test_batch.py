"""`grader batch` short of grading: discovery, the content-hash cache, atomic commits, cohort views, Dask's check."""

from __future__ import annotations

import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.batch.executors import DaskExecutor, WorkerMismatch
from grader.batch.sources import SourceError, candidate_id, discover
from grader.batch.store import ResultStore, content_hash
from grader.batch.task import GRADED
from grader.reports.cohort import Row, cohort_view, histogram, run_status
from grader.rubric import load_rubric
from tests.cohort_helpers import tiny_cohort, tiny_submission


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in folder.rglob("*"):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    return target


def _bundle(folder: Path, target: Path) -> Path:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "GIT_CONFIG_GLOBAL": os.devnull}
    for step in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "s"],
                 ["git", "bundle", "create", "-q", str(target), "--all"]):
        subprocess.run(step, cwd=folder, env=env, check=True, capture_output=True)
    return target


# --- which submissions ------------------------------------------------------------------------------------------


def test_discover_folder_takes_every_kind_of_submission_and_keeps_strays_as_failures(tmp_path):
    src = tmp_path / "cohort"
    tiny_cohort(src, 2)
    _zip(tiny_submission(tmp_path / "z", "zipped", 5), src / "zipped.zip")
    with tarfile.open(src / "tarred.tar.gz", "w:gz") as tf:
        tf.add(tiny_submission(tmp_path / "t", "tarred", 6), arcname="tarred")
    _bundle(tiny_submission(tmp_path / "g", "gitted", 7), src / "gitted.bundle")
    _zip(tiny_submission(tmp_path / "d", "cand-00", 8), src / "cand-00.zip")  # same id as the folder cand-00
    (src / "notes.md").write_text("cohort notes")  # metadata beside the submissions: not a candidate
    (src / "late.rar").write_bytes(b"Rar!\x1a\x07")
    (src / "hostile_x").mkdir()

    cands = {c.id: c for c in discover(src, exclude=("hostile_*",))}
    assert set(cands) == {"cand-00", "cand-00-2", "cand-01", "zipped", "tarred", "gitted", "late.rar"}
    assert cands["late.rar"].problem and "not a submission" in cands["late.rar"].problem
    assert all(c.problem is None for name, c in cands.items() if name != "late.rar")
    assert cands["gitted"].location.name == "gitted.bundle"


def test_discover_csv_resolves_relative_locations_and_reports_bad_rows(tmp_path):
    tiny_cohort(tmp_path / "subs", 2)
    listing = tmp_path / "lists" / "cohort.csv"
    listing.parent.mkdir()
    listing.write_text("candidate_id,location\nA-001,../subs/cand-00\nA-002,"
                       f"{tmp_path / 'subs' / 'cand-01'}\n\nA-003,../subs/missing\n,../subs/cand-00\n")
    cands = {c.id: c for c in discover(listing)}
    assert cands["A-001"].problem is None and cands["A-001"].location.resolve() == (tmp_path / "subs/cand-00")
    assert cands["A-002"].problem is None
    assert "does not exist" in cands["A-003"].problem and "cohort.csv:5" in cands["A-003"].problem
    assert "no candidate id" in cands["row-6"].problem
    bad = tmp_path / "bad.csv"
    bad.write_text("name,where\nx,y\n")
    with pytest.raises(SourceError, match="bad.csv: no column named candidate_id"):
        discover(bad)


def test_candidate_ids_are_safe_folder_names():
    assert candidate_id("Jane Doe (final).tar.gz") == "Jane-Doe-final"
    assert candidate_id("../../etc") == "etc"
    assert candidate_id("...") == "submission"


# --- the store ----------------------------------------------------------------------------------------------------


def test_content_hash_follows_content_not_time_and_never_follows_links(tmp_path):
    sub = tiny_submission(tmp_path, "s")
    first = content_hash(sub)
    os.utime(sub / "README.md", (1, 1))
    assert content_hash(sub) == first
    (sub / "README.md").write_text("changed")
    assert content_hash(sub) != first
    secret = tmp_path / "secret.txt"
    secret.write_text("one")
    (sub / "link").symlink_to(secret)
    linked = content_hash(sub)
    secret.write_text("two")
    assert content_hash(sub) == linked  # the link's target, not the file it points to


def test_commit_swaps_a_whole_folder_in_and_staging_leftovers_are_cleaned(tmp_path):
    store = ResultStore(tmp_path / "out")
    (store.work / "cand.half-written").mkdir()
    (store.work / "cand.half-written" / "report.json").write_text("{")
    assert store.clean_staging() == 1 and not any(store.work.iterdir())
    store.commit("cand", None, {"key": "k1", "outcome": GRADED}, extra_json={"code.json": {"a": 1}})
    assert store.record("cand")["key"] == "k1"
    store.commit("cand", None, {"key": "k2", "outcome": GRADED})
    assert store.record("cand")["key"] == "k2"
    assert not (store.folder("cand") / "code.json").exists()  # nothing of the old result survives a replace
    assert not any(store.work.iterdir())


# --- cohort views ------------------------------------------------------------------------------------------------


def test_histogram_bins_cover_the_range_and_clip_the_ends():
    bins = histogram([0.0, 9.9, 10.0, 55.0, 100.0, 120.0], 0.0, 100.0, 10)
    assert [b["count"] for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bins[0]["height"] == 1.0 and bins[-1]["high"] == 100.0


def test_cohort_view_counts_failures_and_distributions():
    def report(percent, f1, status="completed", flags=()):
        return {"score": {"percent": percent, "points": 1, "max_points": 3, "passed": percent >= 50,
                          "provisional": False, "section_levels": {"prog": 2.0, "eda": 1.0}},
                "heldout": {"primary_metric": "f1", "valid": f1 is not None, "metrics": {"f1": f1} if f1 else {}},
                "runs": [{"label": "submitted", "status": status, "exit_code": 0 if status == "completed" else 1}],
                "flags": list(flags), "lines": []}

    rows = [Row("a", "a", "graded", report=report(80, 0.6)), Row("b", "b", "graded", report=report(40, None, "failed",
            ("pipeline_failed",))), Row("c", "c", "rejected", error="c.rar: not a submission")]
    view = cohort_view(rows, load_rubric(), None, "Mock", {"f1": 0.64})
    assert view["counts"] == {"total": 3, "graded": 2, "passed": 1, "not_graded": 1, "grader_error": 0}
    assert [f["candidate"] for f in view["failures"]] == ["b", "c"]
    assert view["metric"]["stats"]["n"] == 1 and view["metric"]["reference"] == 0.64
    assert next(s for s in view["sections"] if s["id"] == "prog")["stats"]["median"] == 2.0
    assert run_status(rows[1].report) == "failed"


# --- Dask ----------------------------------------------------------------------------------------------------------


def test_a_cluster_running_other_grader_code_is_refused():
    class FakeClient:
        def run(self, _fn):
            return {"tcp://127.0.0.1:1": "0.1.0+aaaa", "tcp://127.0.0.1:2": "0.1.0+bbbb"}

    executor = DaskExecutor.__new__(DaskExecutor)
    executor.client = FakeClient()
    with pytest.raises(WorkerMismatch, match=r"127.0.0.1:2 has 0.1.0\+bbbb"):
        executor.check_workers("0.1.0+aaaa")


# --- cohort views of an error metric --------------------------------------------------------------------------------


def test_the_cohort_histogram_of_an_error_metric_is_not_cut_at_one():
    from grader.reports.cohort import metric_ceiling

    assert metric_ceiling("macro_f1", [0.4, 0.6], {"macro_f1": 0.5}) == 1.0
    assert metric_ceiling("rmse", [1.3, 2.8], {"rmse": 1.4}) == pytest.approx(3.08)
    assert metric_ceiling("rmse", [], {}) > 0
