"""Unit tests of the dynamic stage's pure parts: trace analysis, probe outcomes, repairs, bands, parsing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from checks.heldout import band
from checks.robustness import classify
from checks.runs import run_outcome
from checks.scoring import Encoded, bootstrap_interval
from checks.selfreport import parse_reported_metrics
from checks.trace import analyse_trace
from checks.vocabulary import CLEAN_ERROR, HANDLED, HANG, RAW_TRACEBACK, WRONG_OUTPUT
from grader.packs.probes import PROBES, UNSEEN_VALUE, categorical_column, numeric_column, stage_probe
from grader.rubric import AnyRule, load_rubric
from grader.run.assist import cd_targets, plan_repairs
from sandbox.base import STATUS_COMPLETED, STATUS_FAILED, STATUS_TIMEOUT, Limits, RunResult

ALL_ROWS = list(range(0, 1000, 1))
TEST_ROWS = list(range(800, 1000))
TRAIN_ROWS = list(range(0, 800))
DATASET = "data/deliveries.db"  # the mock pack's training file, as the paper names it


def run_result(status=STATUS_COMPLETED, exit_code=0, stdout="", stderr="", trace=None, timed_out=False):
    return RunResult(backend="test", label="t", command=("bash", "run.sh"), status=status, exit_code=exit_code,
                     duration_s=1.0, stdout=stdout, stderr=stderr, trace=trace, timed_out=timed_out,
                     limits=Limits(timeout_s=60))


def split_event(index=True):
    key_train, key_test = ("train_index", "test_index") if index else ("train_content", "test_content")
    return {"ev": "split", "fn": "train_test_split", "depth": 0, "rows": 1000, "train_rows": 800, "test_rows": 200,
            "random_state": 42, key_train: TRAIN_ROWS, key_test: TEST_ROWS, "index" if index else "content": ALL_ROWS}


def call(ev, est, rows, role="model", obj=1, **extra):
    return {"ev": ev, "est": est, "depth": 0, "rows": rows, "role": role, "obj": obj, **extra}


def test_a_scaler_fitted_before_the_split_is_a_leak_and_many_models_on_test_is_selection():
    events = [{"ev": "start"},
              call("fit_transform", "StandardScaler", 1000, role="transformer", index=ALL_ROWS),
              split_event(),
              call("fit", "LogisticRegression", 800, index=TRAIN_ROWS, obj=1),
              call("predict", "LogisticRegression", 200, index=TEST_ROWS, obj=1),
              call("fit", "RandomForestClassifier", 800, index=TRAIN_ROWS, obj=2, params={"random_state": None}),
              call("predict", "RandomForestClassifier", 200, index=TEST_ROWS, obj=2)]
    facts = analyse_trace(events, DATASET)
    assert len(facts.leaks) == 1 and "StandardScaler.fit_transform" in facts.leaks[0]
    assert facts.test_models == 2
    assert facts.unseeded == ["RandomForestClassifier (random_state=None)"]


def test_fitting_on_the_training_part_only_is_clean_even_after_reset_index():
    renumbered = list(range(0, 800))  # X_train.reset_index(drop=True): labels collide with test rows' labels
    events = [{"ev": "start"}, split_event(),
              call("fit", "Pipeline", 800, role="pipeline", index=renumbered, content=[5000 + i for i in range(800)]),
              call("predict", "Pipeline", 200, role="pipeline", index=TEST_ROWS, obj=1)]
    facts = analyse_trace(events, DATASET)
    assert facts.leaks == []
    assert facts.test_models == 1


def test_a_final_refit_on_all_rows_after_the_test_evaluation_is_not_a_leak():
    events = [{"ev": "start"}, split_event(),
              call("fit", "Pipeline", 800, role="pipeline", index=TRAIN_ROWS, obj=1),
              call("predict", "Pipeline", 200, role="pipeline", index=TEST_ROWS, obj=1),
              call("fit", "Pipeline", 1000, role="pipeline", index=ALL_ROWS, obj=3)]
    assert analyse_trace(events, DATASET).leaks == []


def test_content_hashes_find_a_leak_when_arrays_carry_no_index():
    scaled = list(range(5000, 6000))
    events = [{"ev": "start"},
              call("fit_transform", "StandardScaler", 1000, role="transformer", content=ALL_ROWS, out_content=scaled),
              {"ev": "split", "depth": 0, "rows": 1000, "train_rows": 800, "test_rows": 200, "random_state": 0,
               "train_content": scaled[:800], "test_content": scaled[800:]},
              call("predict", "SVC", 200, content=scaled[800:])]
    assert len(analyse_trace(events, DATASET).leaks) == 1


def test_nan_at_fit_engineered_features_and_database_reads():
    events = [{"ev": "start"}, {"ev": "db_read", "path": "/work/data/deliveries.db", "provided": True},
              call("fit", "LogisticRegression", 800, nan=12, features=["distance_km", "hour", "region_North"]),
              call("fit", "HistGradientBoostingClassifier", 800, nan=12, obj=2,
                   final_features=["num__distance_km", "num__is_rush_hour", "cat__region_North"])]
    facts = analyse_trace(events, DATASET, ("distance_km", "region", "late"))
    assert facts.nan_at_fit == ["LogisticRegression.fit received 12 missing values"]  # HGB handles NaN itself
    assert facts.provided_db_read
    assert facts.final_model == "HistGradientBoostingClassifier" and facts.engineered_in_final == 1


def test_run_outcome_needs_no_traceback_and_the_provided_data_read():
    traced_read = [{"ev": "start"}, {"ev": "db_read", "path": "/work/data/deliveries.db", "provided": True}]
    traced_toy = [{"ev": "start"}]
    assert run_outcome(run_result(trace=traced_read), DATASET)[0]
    assert not run_outcome(run_result(trace=traced_toy), DATASET)[0]
    swallowed = run_result(stdout="Traceback (most recent call last):\n  ...\nKeyError: 'x'\n", trace=traced_read)
    assert "swallowed" in run_outcome(swallowed, DATASET)[1]
    assert not run_outcome(run_result(status=STATUS_FAILED, exit_code=1), DATASET)[0]
    assert run_outcome(run_result(), DATASET)[0]  # not traced: exit 0 and no traceback, the data source unverified
    assert "unverified" in run_outcome(run_result(), DATASET)[1]


@pytest.mark.parametrize("run, expects, complete, outcome", [
    (run_result(status=STATUS_TIMEOUT, exit_code=None, timed_out=True), True, False, HANG),
    (run_result(status=STATUS_FAILED, exit_code=1, stderr="Traceback (most recent call last):\nValueError: x"),
     False, False, RAW_TRACEBACK),
    (run_result(status=STATUS_FAILED, exit_code=2, stderr="ERROR: data/deliveries.db not found"), False, False,
     CLEAN_ERROR),
    (run_result(), True, True, HANDLED),
    (run_result(), True, False, WRONG_OUTPUT),
    (run_result(stdout="no data, skipping"), False, False, WRONG_OUTPUT),
    (run_result(), False, True, WRONG_OUTPUT),
])
def test_probe_outcomes(run, expects, complete, outcome):
    assert classify(run, expects, complete)[0] == outcome


def test_probe_data_variants(mock_pack, tmp_path):
    dirs = {p.name: stage_probe(mock_pack, p, tmp_path / p.name) for p in PROBES}
    assert not (dirs["missing_database"] / "deliveries.db").exists()
    assert (dirs["missing_database"] / "holdout.db").exists()
    with sqlite3.connect(dirs["empty_table"] / "deliveries.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0
    column = numeric_column(mock_pack)
    with sqlite3.connect(dirs["text_in_numeric"] / "deliveries.db") as conn:
        texts = conn.execute(f"SELECT COUNT(*) FROM deliveries WHERE typeof({column}) = 'text'").fetchone()[0]
    assert 1000 <= texts <= 1300
    category = categorical_column(mock_pack)
    with sqlite3.connect(dirs["unseen_category"] / "holdout.db") as conn:
        unseen = conn.execute(f"SELECT COUNT(*) FROM deliveries WHERE {category} = ?", (UNSEEN_VALUE,)).fetchone()[0]
    assert unseen == 300
    assert oct((dirs["empty_table"] / "deliveries.db").stat().st_mode)[-3:] == "444"


def write(root: Path, files: dict[str, str]) -> list[str]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return list(files)


def test_cd_src_breaking_the_data_path_is_repaired_with_a_link_and_the_install_line_removed(tmp_path):
    script = "#!/bin/bash\npip install -r requirements.txt\ncd src\npython main.py\n"
    files = write(tmp_path, {"run.sh": script, "src/main.py": "import sqlite3\nsqlite3.connect('data/x.db')\n"})
    log = "Traceback (most recent call last):\nsqlite3.OperationalError: unable to open database file\n"
    plan = plan_repairs(tmp_path, files, script, run_result(STATUS_FAILED, 1, stderr=log), ("deliveries.db",))
    assert plan.link_data == ["src"]
    assert plan.strip_lines and any("install" in r for r in plan.reasons)
    assert cd_targets("cd src && python main.py\ncd ../elsewhere\ncd /abs") == ["src"]


def test_a_folder_never_created_and_an_absolute_path_are_repaired(tmp_path):
    files = write(tmp_path, {"run.sh": "python -m pipeline.run\n",
                             "config.yaml": "train_db: /Users/mei/aiap/data/deliveries.db\n",
                             "pipeline/config.py": "HOLDOUT = '/home/mei/aiap/data/holdout.db'\n"})
    log = ("sqlite3.OperationalError: unable to open database file\n"
           "FileNotFoundError: [Errno 2] No such file or directory: 'models/model.joblib'\n")
    plan = plan_repairs(tmp_path, files, "python -m pipeline.run\n", run_result(STATUS_FAILED, 1, stderr=log),
                        ("deliveries.db", "holdout.db"))
    assert {"file": "config.yaml", "old": "/Users/mei/aiap/data/deliveries.db", "new": "data/deliveries.db"} \
        in plan.replace
    assert {"file": "pipeline/config.py", "old": "/home/mei/aiap/data/holdout.db", "new": "data/holdout.db"} \
        in plan.replace
    assert plan.make_dirs == ["models"]


def test_a_slow_setting_is_reduced_only_after_a_timeout_and_a_real_bug_is_not_repaired(tmp_path):
    files = write(tmp_path, {"run.sh": "python train.py\n", "config.yaml": "search:\n  n_iter: 500\n  cv: 5\n"})
    timeout = run_result(STATUS_TIMEOUT, None, timed_out=True)
    plan = plan_repairs(tmp_path, files, "python train.py\n", timeout, ("deliveries.db",))
    assert plan.set_config == [{"file": "config.yaml", "key": "n_iter", "value": 10}]
    bug = run_result(STATUS_FAILED, 1, stderr="ValueError: could not convert string to float: '2.9kg'")
    assert plan_repairs(tmp_path, files, "python train.py\n", bug, ("deliveries.db",)).empty()


def test_bootstrap_interval_and_band():
    rng = np.random.default_rng(0)
    y = (rng.random(3000) < 0.23).astype(int)
    pred = np.where(rng.random(3000) < 0.8, y, 1 - y)
    enc = Encoded("binary", y, pred, ("0", "1"))
    low, high = bootstrap_interval(enc, "f1")
    assert low < 0.65 < high and high - low < 0.08
    assert bootstrap_interval(enc, "f1") == [low, high]  # seeded: the report is reproducible
    assert band([0.62, 0.68], 0.64, 0.375) == 2
    assert band([0.66, 0.70], 0.64, 0.375) == 3
    assert band([0.50, 0.60], 0.64, 0.375) == 1
    assert band([0.30, 0.37], 0.64, 0.375) == 0


def test_self_reported_metrics_are_parsed_from_prints_and_classification_reports():
    log = ("Accuracy = 83.5%\nROC AUC 0.87\n              precision    recall  f1-score   support\n"
           "           0       0.90      0.85      0.87      2000\n"
           "           1       0.57      0.76      0.65       345\n")
    assert parse_reported_metrics(log).values == {"accuracy": 0.835, "roc_auc": 0.87, "f1": 0.65, "precision": 0.57,
                                                  "recall": 0.76}
    assert parse_reported_metrics("epoch 12 done").values == {}


def test_exception_handling_is_decided_by_the_probes_when_they_ran():
    from checks import CATALOGUE
    from checks.base import OK, Evidence
    from grader.rubric import score_line

    rubric = load_rubric(known_codes={c.code for c in CATALOGUE})
    line = rubric.line("prog.exception_handling")
    assert isinstance(line.rules[3], AnyRule)
    static = Evidence("PRG004", "x", (), OK, "", metrics={"specific_handlers": 3, "raises_with_message": 4,
                                                           "swallowing_handlers": 0})

    def probes(**metrics):
        return Evidence("PRB001", "x", (), OK, "", metrics=metrics)

    assert score_line(line, {"PRG004": static, "PRB001": probes(ran=False)}, 1.0).level == 3
    assert score_line(line, {"PRG004": static, "PRB001": probes(ran=True, good=1)}, 1.0).level == 1
    no_try = Evidence("PRG004", "x", (), OK, "", metrics={"specific_handlers": 0, "raises_with_message": 0,
                                                           "swallowing_handlers": 0})
    result = score_line(line, {"PRG004": no_try, "PRB001": probes(ran=True, good=4)}, 1.0)
    assert result.level == 3 and "PRB001.good >= 4" in result.reason


def test_static_and_traced_evidence_that_disagree_are_reported_only_for_a_complete_run():
    from checks.base import OK, Evidence
    from checks.reconcile import reconcile_with_trace

    def evidence(run_ok: bool) -> dict:
        return {"PRE002": Evidence("PRE002", "x", (), OK, "", metrics={"leaks": 0}),
                "SPL001": Evidence("SPL001", "x", (), OK, "", metrics={"split": True}),
                "DYN001": Evidence("DYN001", "x", (), OK, "", metrics={"leak_fits": 1, "splits": 1}),
                "RUN001": Evidence("RUN001", "x", (), OK, "", metrics={"evidence_succeeded": run_ok})}

    complete = evidence(True)
    notes = reconcile_with_trace(complete)
    assert notes == ["static and dynamic evidence disagree on a transformer fitted before the split: PRE002 says "
                     "no, the traced run says yes"]
    assert complete["DYN001"].findings == notes
    assert reconcile_with_trace(evidence(False)) == []
