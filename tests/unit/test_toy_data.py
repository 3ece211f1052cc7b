"""Issue 14 item 4: a run that read the provided data but trained and evaluated on a toy frame is not a success.

The unit tests feed checks.trace.data_use synthetic traces (the tracer's event shapes, as in
tests/unit/test_dynamic_units.py); tests/integration/test_toy_data_docker.py grades the toy_fallback fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.context import CheckContext
from checks.dataflow import DataFlow
from checks.pipeline_run import PipelineRun
from checks.runs import run_outcome
from checks.selfreport import SelfReportedMetrics
from checks.trace import REAL, TOY, UNVERIFIED, data_use, rows_read
from grader.grade import Grading
from grader.reports.report import flags
from sandbox.base import STATUS_COMPLETED, Limits, RunResult

DB = "/work/data/deliveries.db"
DATASET = "data/deliveries.db"  # the mock pack's training file, as the paper names it
READ = 12_000
ALL = list(range(0, READ, 16))
TRAIN, TEST = ALL[: len(ALL) * 4 // 5], ALL[len(ALL) * 4 // 5:]


def read(rows: int = READ) -> list[dict]:
    """The trace's start and the provided database read (db_rows comes at exit; its place does not matter)."""
    return [{"ev": "start", "pid": 1}, {"ev": "db_open", "path": DB, "ok": True, "provided": True},
            {"ev": "db_read", "path": DB, "provided": True},
            {"ev": "db_rows", "path": DB, "rows": rows, "provided": True}]


def call(ev: str, est: str, rows: int, role: str = "model", obj: int = 1, depth: int = 0, **extra) -> dict:
    return {"ev": ev, "est": est, "depth": depth, "rows": rows, "role": role, "obj": obj, **extra}


def split(rows: int, test_rows: int, **extra) -> dict:
    return {"ev": "split", "fn": "train_test_split", "depth": 0, "rows": rows, "train_rows": rows - test_rows,
            "test_rows": test_rows, "random_state": 0, **extra}


def toy(obj: int = 7) -> list[dict]:
    """A 10-row frame built in code: split 6 / 4, a model fitted on 6 rows and scored on 4."""
    return [split(10, 4, stratified=True, test_index=[]), call("fit", "LogisticRegression", 6, obj=obj, y_rows=6),
            call("predict_proba", "LogisticRegression", 4, obj=obj)]


def real(rows: int = 11_880, test_rows: int = 2_376) -> list[dict]:
    """The provided rows split, a pipeline fitted on the training part and scored on the test part."""
    return [split(rows, test_rows, test_index=TEST, train_index=TRAIN),
            call("fit", "Pipeline", rows - test_rows, role="pipeline", obj=1, index=TRAIN),
            call("fit", "RandomForestClassifier", rows - test_rows, obj=2, depth=1),
            call("predict", "Pipeline", test_rows, role="pipeline", obj=1, index=TEST)]


def run_result(trace: list[dict] | None, untraced: list[str] | None = None, stdout: str = "") -> RunResult:
    return RunResult(backend="test", label="t", command=("bash", "run.sh"), status=STATUS_COMPLETED, exit_code=0,
                     duration_s=1.0, stdout=stdout, stderr="", trace=trace, limits=Limits(timeout_s=60),
                     trace_untraced=untraced or [])


# ---------------------------------------------------------------- the verdict on synthetic traces


def test_training_and_evaluating_on_a_ten_row_frame_after_reading_the_database_is_toy():
    holdout = call("predict", "LogisticRegression", 3_000, obj=7)  # the toy model predicts the real hold-out
    use = data_use(read() + toy() + [holdout], DATASET)
    assert use.verdict == TOY
    assert (use.rows_read, use.threshold, use.largest_fit, use.largest_split) == (READ, 120, 6, 10)
    assert "6 rows" in use.reason and "split: 10 rows" in use.reason and "12,000 rows" in use.reason


def test_training_and_evaluating_on_the_provided_rows_is_real():
    use = data_use(read() + real(), DATASET)
    assert use.verdict == REAL and use.largest_fit == 9_504
    assert "evaluated on real rows" in use.reason


@pytest.mark.parametrize("events, why", [
    (real(rows=2_376, test_rows=476), "a stratified 20% sample for speed"),
    ([{"ev": "cv", "fn": "cross_val_score", "est": "RandomForestClassifier", "depth": 0, "rows": 11_880},
      call("fit", "RandomForestClassifier", 9_504, depth=1), call("predict", "RandomForestClassifier", 2_376,
                                                                  depth=1),
      call("fit", "RandomForestClassifier", 11_880, obj=3)], "CV folds smaller than the whole, then a final fit"),
    (real(rows=365, test_rows=73), "a group-by to daily rows (3% of the rows read)"),
    (real() + toy(), "a tiny demo model beside the real fit"),
    (real()[:3] + [call("predict", "Pipeline", 1, role="pipeline", obj=1)],
     "the real model predicts one example row; its test scoring went through a library scorer (untraced)"),
])
def test_subsets_folds_aggregations_and_demo_models_are_not_toy(events, why):
    assert data_use(read() + events, DATASET).verdict == REAL, why


def test_a_real_fit_evaluated_only_on_a_toy_split_is_toy():
    events = read() + real()[:3] + toy()
    use = data_use(events, DATASET)
    assert use.verdict == TOY and "evaluated only on toy data" in use.reason and "10-row split" in use.reason


def test_a_baseline_on_the_real_rows_does_not_make_a_toy_model_real():
    baseline = call("fit", "DummyClassifier", 9_504, obj=9)
    assert data_use(read() + [baseline] + toy(), DATASET).verdict == TOY


@pytest.mark.parametrize("events, words", [
    (read() + [split(11_880, 2_376)], "no model fit was traced"),  # e.g. LightGBM's native API
    (read(rows=200) + toy(), "too few to tell"),
    (read()[:3] + toy(), "no count of the rows read"),  # the process died before its exit report
])
def test_when_the_trace_cannot_tell_the_verdict_is_unverified(events, words):
    use = data_use(events, DATASET)
    assert use.verdict == UNVERIFIED and words in use.reason


def test_several_scripts_reading_the_database_count_once():
    events = read() + [{"ev": "db_rows", "path": DB, "rows": READ, "provided": True, "pid": 2}]
    assert rows_read(events, DATASET) == READ


# ---------------------------------------------------------------- where the verdict goes


def test_run_outcome_fails_a_toy_run_with_the_reason_and_passes_the_real_one():
    ok, reason = run_outcome(run_result(read() + toy()), DATASET)
    assert not ok
    assert reason.startswith("exited 0 but trained and evaluated only on toy data")
    assert "faked work, marking guide §1.6" in reason and "deliveries.db" in reason
    ok, reason = run_outcome(run_result(read() + real()), DATASET)
    assert ok and reason == "ran end to end (exit 0, no traceback, read deliveries.db)"


def test_run_outcome_does_not_fail_what_the_trace_cannot_tell():
    ok, reason = run_outcome(run_result(read() + [split(11_880, 2_376)]), DATASET)
    assert ok and "unverified: no model fit was traced" in reason
    # the real fit may have run in the process that escaped the tracer
    ok, reason = run_outcome(run_result(read() + toy(), untraced=["pid 42: python src/train.py"]), DATASET)
    assert ok and "escaped the tracer" in reason


def context(tmp_path: Path, run: RunResult, **settings) -> CheckContext:
    return CheckContext(root=tmp_path, python_files=[], notebooks=[], readme=None, run_script="run.sh",
                        requirement_files=[], run=run, submitted_run=run, settings=dict(settings),
                        dataset_file=DATASET)


def test_the_toy_verdict_reaches_run001_dyn001_and_the_report_flags(tmp_path):
    run = run_result(read() + toy(), stdout="ROC AUC: 1.000\n")
    run_ev, flow = PipelineRun().run(context(tmp_path, run)), DataFlow().run(context(tmp_path, run))
    assert run_ev.metrics["succeeded"] is False and run_ev.metrics["toy_data"] is True
    assert "faked work" in run_ev.summary
    assert flow.metrics["toy_data"] is True and flow.metrics["largest_fit_rows"] == 6
    assert any(f.startswith("toy data (faked work") for f in flow.findings)
    grading = Grading(source=tmp_path, pack=None, rubric=None, workspace=None, runs=[run],
                      evidence=[run_ev, flow], score=None, timings={})
    assert "toy_data" in flags(grading) and "pipeline_not_end_to_end" in flags(grading)
    assert "pipeline_completed" not in flags(grading)
    honest = run_result(read() + real())
    grading.evidence = [PipelineRun().run(context(tmp_path, honest)), DataFlow().run(context(tmp_path, honest))]
    assert "toy_data" not in flags(grading)


def test_rerun_mode_does_not_count_a_toy_runs_printed_score(tmp_path):
    ctx = context(tmp_path, run_result(read() + toy(), stdout="ROC AUC: 1.000\nF1 score: 1.000\n"),
                  heldout_mode="rerun", primary_metric="f1", reference={"f1": 0.64})
    reported = SelfReportedMetrics().run(ctx)
    assert reported.metrics["ran_on_unseen"] is False  # the rubric's HLD002 rules all need ran_on_unseen == true
    assert "faked work" in reported.summary


@pytest.mark.parametrize("line_id", ["prep.preprocessing", "prep.feature_engineering", "prep.split", "model.training",
                                     "model.metrics", "model.tuning"])
def test_faked_work_caps_every_line_it_fakes_at_0(line_id):
    """Marking guide §1.1: helpers run only on a toy frame earn 0 on the lines whose practice never met the data."""
    from checks import CATALOGUE
    from checks.base import OK, Evidence
    from grader.rubric import load_rubric

    line = load_rubric(known_codes={c.code for c in CATALOGUE}).line(line_id)
    cap = next(c for c in line.caps if "toy_data" in str(c.when))
    toy = {"RUN001": Evidence("RUN001", "x", (), OK, "", metrics={"toy_data": True, "evidence_succeeded": False})}
    real = {"RUN001": Evidence("RUN001", "x", (), OK, "", metrics={"toy_data": False, "evidence_succeeded": True})}
    assert cap.max_level == 0 and cap.when.holds(toy) and not cap.when.holds(real)
