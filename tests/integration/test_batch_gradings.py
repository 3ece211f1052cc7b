"""`grader batch` end to end: cohorts graded (statically, in-process and in worker processes), kill-and-resume, the
cohort's plagiarism check, and a Dask cluster grading in Docker."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.batch.executors import LocalExecutor
from grader.batch.runner import run_batch
from grader.batch.store import ResultStore
from grader.batch.task import GRADED, GRADER_ERROR, TaskOutcome, grade_task
from grader.reports.cohort import Row
from grader.rubric import load_rubric
from grader.run.dynamic import DynamicOptions
from tests.cohort_helpers import tiny_cohort

ROOT = Path(__file__).resolve().parents[2]
STATIC = DynamicOptions()


def _rows(out: Path) -> dict[str, dict]:
    with (out / "summary.csv").open(newline="") as fh:
        return {row["candidate_id"]: row for row in csv.DictReader(fh)}


class ScriptedExecutor:
    """Runs the real grade_task in-process, except for candidates told to fail with a grader error."""

    description = "in-process"

    def __init__(self, fail: set[str] = frozenset()) -> None:
        self.fail = set(fail)
        self.graded: list[str] = []

    def run(self, tasks):
        for task in tasks:
            self.graded.append(task.candidate)
            if task.candidate in self.fail:
                yield TaskOutcome(task.candidate, task.key, GRADER_ERROR, error="grader failure: injected")
            else:
                yield grade_task(task)


def test_batch_grades_a_cohort_writes_the_views_and_reuses_finished_work(tmp_path, mock_pack):
    src = tiny_cohort(tmp_path / "cohort", 3)
    (src / "corrupt.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (src / "late.rar").write_bytes(b"Rar!")
    out = tmp_path / "out"
    first = ScriptedExecutor(fail={"cand-02"})
    result = run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, first, similarity=False)
    rows = _rows(out)
    assert set(rows) == {"cand-00", "cand-01", "cand-02", "corrupt", "late.rar"}
    assert rows["cand-00"]["status"] == "graded" and float(rows["cand-00"]["percent"]) > 0
    assert rows["cand-00"]["prog.readability"] in {"0", "1", "2", "3"}
    assert rows["cand-00"]["run_status"] == "not_run"
    assert rows["corrupt"]["status"] == "not_graded" and "corrupt.zip" in rows["corrupt"]["error"]
    assert rows["late.rar"]["status"] == "rejected"
    assert rows["cand-02"]["status"] == "grader_error" and "injected" in rows["cand-02"]["error"]
    assert result.graded_now == 4 and result.reused == 0
    page = (out / "cohort.html").read_text()
    for needle in ("cand-00", "Failures (3)", "corrupt.zip", "grader failure: injected", "Distribution of totals",
                   'href="submissions/cand-00/report.html"'):
        assert needle in page
    assert (out / "submissions" / "cand-00" / "report.html").is_file()

    second = ScriptedExecutor()
    result = run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, second, similarity=False)
    assert second.graded == ["cand-02"]  # only the grader error is retried; the corrupt archive is a final result
    assert result.reused == 3 and _rows(out)["cand-02"]["status"] == "graded"

    (src / "cand-01" / "README.md").write_text("# changed\n")
    (src / "cand-00-copy").mkdir()
    for path in (src / "cand-00").rglob("*"):
        target = src / "cand-00-copy" / path.relative_to(src / "cand-00")
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            target.write_bytes(path.read_bytes())
    third = ScriptedExecutor()
    run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, third, similarity=False)
    assert third.graded == ["cand-01"]  # changed content is regraded; identical content is copied, not regraded
    record = json.loads((out / "submissions" / "cand-00-copy" / "batch.json").read_text())
    assert record["copied_from"] == "cand-00" and record["candidate"] == "cand-00-copy"
    assert _rows(out)["cand-00-copy"]["percent"] == _rows(out)["cand-00"]["percent"]


def test_assessor_overrides_follow_a_regrade(tmp_path, mock_pack):
    from grader.cli import main

    src = tiny_cohort(tmp_path / "cohort", 1)
    out = tmp_path / "out"
    run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, ScriptedExecutor(), similarity=False)
    folder = out / "submissions" / "cand-00"
    assert main(["review", str(folder), "--line", "prog.readability", "--level", "3", "--reason", "clear",
                 "--assessor", "A. Tan"]) == 0
    (src / "cand-00" / "README.md").write_text("# changed after review\n")
    run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, ScriptedExecutor(), similarity=False)
    report = json.loads((folder / "report.json").read_text())
    assert (folder / "overrides.json").is_file()
    assert len(report["final"]["stale_overrides"]) == 1  # the submission changed: the override is marked stale


def test_local_executor_grades_in_separate_processes(tmp_path, mock_pack):
    src = tiny_cohort(tmp_path / "cohort", 2)
    out = tmp_path / "out"
    result = run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, LocalExecutor(2))
    hosts = {json.loads((out / "submissions" / c / "batch.json").read_text())["host"] for c in ("cand-00", "cand-01")}
    assert result.graded_now == 2 and all(h.split(":")[1] != str(os.getpid()) for h in hosts)
    code = json.loads((out / "submissions" / "cand-00" / "code.json").read_text())
    assert {unit["path"] for unit in code["units"]} == {"src/main.py", "eda.ipynb"}
    # the two tiny pipelines differ by one constant: the cohort's plagiarism check pairs them
    assert [(p["a"], p["b"]) for p in result.similarity["pairs"]] == [("cand-00", "cand-01")]
    assert _rows(out)["cand-00"]["similar_to"] == "cand-01"
    assert "possible_plagiarism" in json.loads((out / "submissions" / "cand-01" / "report.json").read_text())["flags"]


def test_kill_at_any_moment_then_resume_loses_nothing_and_grades_nothing_twice(tmp_path, mock_pack):
    src = tiny_cohort(tmp_path / "cohort", 8)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader.cli", "batch", str(src), "--out", str(out), "--pack",
               str(mock_pack.root), "--backend", "none", "--jobs", "2", "--no-similarity"]
    proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while len(list(out.glob("submissions/*/batch.json"))) < 3 and time.monotonic() < deadline:
        assert proc.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its worker processes, mid-flight
    proc.wait()
    committed = {p.parent.name: p.read_text() for p in out.glob("submissions/*/batch.json")}
    assert 3 <= len(committed) < 8
    for name in committed:  # every committed folder is whole
        assert json.loads((out / "submissions" / name / "report.json").read_text())["status"] == "graded"
        assert (out / "submissions" / name / "report.html").stat().st_size > 1000
    assert len(_rows(out)) >= len(committed) - 2  # the table is rewritten atomically as results arrive

    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(committed)} already graded (cached)" in done.stderr  # progress on stderr, results on stdout
    assert f"{8 - len(committed)} graded now" in done.stdout
    for name, text in committed.items():  # finished work was not redone
        assert (out / "submissions" / name / "batch.json").read_text() == text
    rows = _rows(out)
    assert sorted(rows) == [f"cand-{i:02d}" for i in range(8)] and {r["status"] for r in rows.values()} == {"graded"}
    assert not any((out / ".work").iterdir())


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two single-thread workers on loopback (the benchmark's helpers), stopped after the test."""
    pytest.importorskip("distributed")
    from tests.cluster_helpers import start_cluster, stop_cluster

    address, procs = start_cluster(tmp_path, workers=2)
    yield address
    stop_cluster(procs)


@pytest.mark.docker
def test_dask_cluster_on_loopback_grades_a_cohort_in_docker(tmp_path, mock_pack, docker_sandbox, dask_cluster):
    from grader.cli import main

    src = tiny_cohort(tmp_path / "cohort", 4)
    out = tmp_path / "out"
    code = main(["batch", str(src), "--out", str(out), "--pack", str(mock_pack.root), "--scheduler", dask_cluster,
                 "--backend", "docker", "--no-probes", "--no-notebook", "--no-similarity"])
    assert code == 0
    rows = _rows(out)
    assert sorted(rows) == ["cand-00", "cand-01", "cand-02", "cand-03"]
    assert all(r["status"] == "graded" and r["run_status"] == "completed" and r["heldout_valid"] == "True"
               for r in rows.values())
    hosts = {json.loads((out / "submissions" / c / "batch.json").read_text())["host"] for c in rows}
    assert len(hosts) == 2  # both workers took submissions
    report = json.loads((out / "submissions" / "cand-00" / "report.json").read_text())
    assert report["runs"][0]["backend"] == "docker" and report["runs"][0]["security_boundary"]


def test_similar_pairs_are_flagged_in_both_reports_and_on_the_cohort_page(tmp_path, mock_pack):
    import jsonschema

    from grader.batch.cohort_similarity import FLAG, annotate_cohort
    from grader.reports.cohort import write_cohort_html
    from grader.similarity import load_submission

    src = tiny_cohort(tmp_path / "cohort", 1)
    out = tmp_path / "out"
    run_batch(src, out, mock_pack, str(mock_pack.root), "none", STATIC, ScriptedExecutor(), similarity=False)
    store = ResultStore(out)
    rows = []
    for name in ("strong", "plagiarised", "weak", "average"):  # a real report, each with a sample's real code
        code = load_submission(name, ROOT / "sample_submissions" / name).to_dict()
        store.commit(name, None, {"key": name, "outcome": GRADED}, copy_from=store.folder("cand-00"),
                     extra_json={"code.json": code})
        rows.append(Row(name, name, GRADED, report=json.loads((store.folder(name) / "report.json").read_text())))

    data = annotate_cohort(store, rows, mock_pack)
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [("plagiarised", "strong")]
    schema = json.loads((ROOT / "grader" / "reports" / "schema" / "report.schema.json").read_text())
    for me, other in (("strong", "plagiarised"), ("plagiarised", "strong")):
        report = json.loads((store.folder(me) / "report.json").read_text())
        jsonschema.validate(report["similarity"], schema["properties"]["similarity"])
        assert FLAG in report["flags"]
        pair = report["similarity"]["pairs"][0]
        assert pair["other"] == other and pair["fragments"]
        fragment = pair["fragments"][0]
        mine = (ROOT / "sample_submissions" / me / fragment["a_path"]).read_text().splitlines()
        assert fragment["a_text"].splitlines()[0].strip() in mine[fragment["a_start"] - 1]  # my side is on the left
        assert "Similarity to other submissions" in (store.folder(me) / "report.html").read_text()
    weak = json.loads((store.folder("weak") / "report.json").read_text())
    assert FLAG not in weak["flags"] and "similarity" not in weak
    page = write_cohort_html(rows, load_rubric(), data, out, "Mock", {}).read_text()
    assert "<b>plagiarised</b> ↔ <b>strong</b>" in page

    rows = [r for r in rows if r.candidate != "plagiarised"]  # the copy withdrawn: the flag goes with it
    annotate_cohort(store, rows, mock_pack)
    strong = json.loads((store.folder("strong") / "report.json").read_text())
    assert FLAG not in strong["flags"] and "similarity" not in strong

