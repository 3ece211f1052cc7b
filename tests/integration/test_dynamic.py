"""The dynamic stage end to end in Docker: tracer facts, probes, assisted re-runs, rerun mode, reproducibility.

The sample submissions are graded once per session (conftest.sample_reports, all dynamic checks on); the small
submissions below are written by the tests and run with only the dynamic steps they are about.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from grader.grade import grade
from grader.packs import load_pack
from grader.packs.mock.generate import generate, write_sqlite
from grader.run.dynamic import DynamicOptions

pytestmark = pytest.mark.docker
QUICK = DynamicOptions(probes=False, notebook=False, assist=False, install_requirements=False)


def evidence(report: dict, code: str) -> dict:
    return next(e for e in report["evidence"] if e["code"] == code)


def level(report: dict, line_id: str) -> int | None:
    return next(line["level"] for line in report["lines"] if line["id"] == line_id)


def by_code(grading) -> dict:
    return {e.code: e for e in grading.evidence}


# ------------------------------------------------------------------ the samples (graded once per session)

def test_tracer_sees_strong_split_before_fitting_and_one_model_on_the_test_split(sample_reports):
    flow = evidence(sample_reports["strong"], "DYN001")
    assert flow["metrics"]["traced"] and flow["metrics"]["provided_db_read"]
    assert flow["metrics"]["splits"] == 2 and flow["metrics"]["leak_fits"] == 0
    assert flow["metrics"]["test_models"] == 1 and flow["metrics"]["test_selection"] == 0
    assert flow["metrics"]["searches"] == 3
    assert flow["metrics"]["engineered_in_final"] >= 3
    assert "dataflow_leak" not in sample_reports["strong"]["flags"]


def test_tracer_catches_leaky_fitting_before_the_split_and_choosing_on_the_test_split(sample_reports):
    report = sample_reports["leaky"]
    flow = evidence(report, "DYN001")
    assert flow["metrics"]["leak_fits"] >= 1
    assert any("SimpleImputer.fit_transform" in f and "before the split" in f for f in flow["findings"])
    assert flow["metrics"]["test_selection"] >= 3
    assert level(report, "model.tuning") == 1  # was 3 from the static reading alone
    # the fit before the split is owned by prep.split; it caps preprocessing at 2 (marking guide §1.7)
    assert level(report, "prep.split") == 1 and level(report, "prep.preprocessing") == 2
    assert {"dataflow_leak", "model_selection_on_test"} <= set(report["flags"])


def test_probes_separate_strong_from_weak(sample_reports):
    strong = evidence(sample_reports["strong"], "PRB001")
    weak = evidence(sample_reports["weak"], "PRB001")
    assert strong["metrics"]["good"] == 4 and level(sample_reports["strong"], "prog.exception_handling") == 3
    assert weak["metrics"]["raw_tracebacks"] >= 3 and level(sample_reports["weak"], "prog.exception_handling") <= 1
    outcomes = {p["probe"]: p["outcome"] for p in weak["data"]["probes"]}
    assert outcomes["missing_database"] == "raw traceback"


@pytest.mark.parametrize("name, repair", [("cd_src", "linked there"), ("abs_path", "hard-coded absolute data path")])
def test_assisted_rerun_repairs_mechanical_failures_but_keeps_the_design_penalty(sample_reports, name, repair):
    report = sample_reports[name]
    run = evidence(report, "RUN001")["metrics"]
    assert run["succeeded"] is False and run["assisted"] is True and run["evidence_succeeded"] is True
    labels = [r["label"] for r in report["runs"]]
    assert labels[0] == "submitted run" and any(label.startswith("assisted re-run") for label in labels)
    assisted = [r for r in report["runs"] if r["label"].startswith("assisted")][-1]
    assert assisted["status"] == "completed" and any(repair in n for n in assisted["notes"])
    assert level(report, "pipeline.design") <= 1
    assert report["heldout"]["valid"] and report["heldout"]["metrics"]["f1"] > 0.55  # judged on the assisted run
    assert "assisted_rerun" in report["flags"]


def test_a_real_bug_gets_no_assisted_rerun(sample_reports):
    report = sample_reports["broken"]
    assert not any(r["label"].startswith("assisted") for r in report["runs"])
    assert evidence(report, "RUN001")["metrics"]["assisted"] is False


def test_every_sample_notebook_is_reexecuted(sample_reports):
    for name, report in sample_reports.items():
        notebook = evidence(report, "NBK001")
        assert notebook["status"] in ("ok", "not_applicable"), name
        assert any(r["label"] == "notebook re-execution" for r in report["runs"]) == (notebook["status"] == "ok")
    assert evidence(sample_reports["strong"], "NBK001")["metrics"]["runs_clean"] is True


# ------------------------------------------------------------------ small submissions written by the tests

def submission(tmp_path: Path, main: str, extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "sub"
    root.mkdir(parents=True)
    (root / "run.sh").write_text("#!/bin/bash\npython main.py\n")
    (root / "main.py").write_text(textwrap.dedent(main))
    for rel, text in (extra or {}).items():
        (root / rel).write_text(textwrap.dedent(text))
    return root


TRAIN = """
    import sqlite3, sys
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.metrics import f1_score, accuracy_score
    con = sqlite3.connect("data/deliveries.db")
    df = pd.read_sql("SELECT * FROM deliveries", con)
    df = df.dropna(subset=["late"])
    X = df[["num_items", "traffic_index"]].apply(pd.to_numeric, errors="coerce").fillna(0)
    y = df["late"].astype(int)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    model = LogisticRegression(class_weight="balanced").fit(X_train, y_train)
    pred = model.predict(X_test)
    print(f"rows: {len(df)}")
    print(f"F1 score: {f1_score(y_test, pred):.3f}")
    print(f"Accuracy: {accuracy_score(y_test, pred):.3f}")
"""


def test_rerun_mode_runs_on_a_fresh_sample_and_records_self_reported_metrics(tmp_path, mock_pack, docker_sandbox):
    pack_dir = tmp_path / "pack"
    shutil.copytree(mock_pack.root, pack_dir)
    toml = (pack_dir / "assessment.toml").read_text()
    toml = toml.replace('mode = "predictions"', 'mode = "rerun"\nfresh = "rerun/deliveries.db"')
    (pack_dir / "assessment.toml").write_text(toml)
    fresh = generate(seed=7, n_train=2500, n_holdout=10).train
    write_sqlite(fresh, pack_dir / "rerun" / "deliveries.db")
    pack = load_pack(pack_dir)
    assert pack.heldout_mode == "rerun"
    grading = grade(submission(tmp_path, TRAIN), pack, docker_sandbox, options=QUICK)
    ev = by_code(grading)
    run = grading.runs[0]
    assert f"rows: {len(fresh)}" in run.stdout  # the fresh sample was mounted where the training data is expected
    reported = ev["HLD002"]
    assert reported.metrics["ran_on_unseen"] is True and reported.metrics["self_reported"] is True
    assert reported.metrics["reported_f1"] == pytest.approx(float(re.search(r"F1 score: ([\d.]+)", run.stdout)[1]))
    assert "self-reported" in reported.summary
    assert ev["HLD001"].status == "not_applicable"
    assert grading.score.lines[[line.id for line in grading.score.lines].index("model.training")].level >= 1


def test_exit_zero_after_a_swallowed_crash_or_on_toy_data_is_not_success(tmp_path, mock_pack, docker_sandbox):
    swallowed = submission(tmp_path / "a", """
        import traceback
        try:
            import sqlite3, pandas as pd
            df = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
            df["missing_column"].sum()
        except Exception:
            traceback.print_exc()
        print("done")
    """)
    toy = submission(tmp_path / "b", """
        import os, pandas as pd
        from sklearn.linear_model import LogisticRegression
        path = "data/deliveries_v2.db"
        if not os.path.exists(path):
            df = pd.DataFrame({"x": [0, 1, 2, 3], "late": [0, 0, 1, 1]})  # falls back to toy data
        LogisticRegression().fit(df[["x"]], df["late"])
        print("model trained")
    """)
    for root, words in ((swallowed, "swallowed"), (toy, "never read rows")):
        grading = grade(root, mock_pack, docker_sandbox, options=QUICK)
        run = by_code(grading)["RUN001"]
        assert grading.runs[0].exit_code == 0
        assert run.metrics["succeeded"] is False and words in run.summary


def test_repeat_run_flags_unseeded_randomness(tmp_path, mock_pack, docker_sandbox):
    code = """
        import sqlite3, pandas as pd
        from sklearn.ensemble import RandomForestClassifier
        con = sqlite3.connect("data/deliveries.db")
        df = pd.read_sql("SELECT * FROM deliveries", con).dropna(subset=["late"]).head(3000)
        hold = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/holdout.db"))
        cols = ["num_items", "traffic_index", "driver_rating"]
        prep = lambda d: d[cols].apply(pd.to_numeric, errors="coerce").fillna(0)
        model = RandomForestClassifier(n_estimators=15, SEED).fit(prep(df), df["late"].astype(int))
        out = pd.DataFrame({"delivery_id": hold["delivery_id"], "late": model.predict(prep(hold)),
                            "late_proba": model.predict_proba(prep(hold))[:, 1]})
        out.to_csv("output/predictions.csv", index=False)
    """
    options = replace(QUICK, repeat=True)
    results = {}
    for seed in ("random_state=None", "random_state=1"):
        root = submission(tmp_path / seed.replace("=", "-"), code.replace("SEED", seed))
        results[seed] = by_code(grade(root, mock_pack, docker_sandbox, options=options))["REP001"]
    unseeded, seeded = results["random_state=None"], results["random_state=1"]
    assert unseeded.metrics["repeated"] and unseeded.metrics["identical"] is False
    assert unseeded.metrics["unseeded"] == 1 and "RandomForestClassifier" in " ".join(unseeded.findings)
    assert seeded.metrics["identical"] is True and seeded.metrics["unseeded"] == 0


def test_a_slow_setting_in_the_candidates_config_is_reduced_in_an_assisted_rerun(tmp_path, mock_pack,
                                                                                 docker_sandbox):
    code = """
        import re, time, sqlite3
        n_iter = int(re.search(r"n_iter: (\\d+)", open("config.yaml").read())[1])
        rows = sqlite3.connect("data/deliveries.db").execute("SELECT * FROM deliveries").fetchall()
        for _ in range(n_iter):
            time.sleep(0.05)
        print(f"searched {n_iter} candidates on {len(rows)} rows")
    """
    root = submission(tmp_path, code, {"config.yaml": "search:\n  n_iter: 400\n"})
    pack = replace(mock_pack, limits=replace(mock_pack.limits, timeout_s=8))
    grading = grade(root, pack, docker_sandbox, options=replace(QUICK, assist=True))
    submitted, assisted = grading.runs[0], grading.runs[1]
    assert submitted.timed_out
    assert assisted.succeeded and "searched 10 candidates" in assisted.stdout
    assert any("n_iter = 400" in n for n in assisted.notes)
    ev = by_code(grading)["RUN001"]
    assert ev.metrics["succeeded"] is False and ev.metrics["evidence_succeeded"] is True


def test_probes_run_on_a_small_robust_pipeline(tmp_path, mock_pack, docker_sandbox):
    code = """
        import sqlite3, sys, os
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        if not os.path.exists("data/deliveries.db"):
            sys.exit("error: data/deliveries.db not found")
        df = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
        if df.empty:
            sys.exit("error: the deliveries table is empty")
        hold = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/holdout.db"))
        cols = ["num_items", "traffic_index", "distance_km"]
        prep = lambda d: d[cols].apply(pd.to_numeric, errors="coerce").fillna(0)
        df = df.dropna(subset=["late"])
        model = LogisticRegression(max_iter=500).fit(prep(df), df["late"].astype(int))
        pd.DataFrame({"delivery_id": hold["delivery_id"], "late": model.predict(prep(hold))}).to_csv(
            "output/predictions.csv", index=False)
    """
    grading = grade(submission(tmp_path, code), mock_pack, docker_sandbox, options=replace(QUICK, probes=True))
    probes = by_code(grading)["PRB001"]
    outcomes = {row["probe"]: row["outcome"] for row in probes.data["probes"]}
    assert outcomes == {"empty_table": "clean error message and non-zero exit",
                        "text_in_numeric": "handled and went on",
                        "missing_database": "clean error message and non-zero exit",
                        "unseen_category": "handled and went on"}
    assert probes.metrics["good"] == 4
    with sqlite3.connect(mock_pack.train_db) as conn:  # the pack's own data is never modified by a probe
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 12000
