"""A round that is not the mock, end to end in Docker: pack new on a multi-class table whose names need quoting,
a candidate pipeline that hard-codes the table, the quoted columns and the raw label spellings, graded in both
held-out modes. The data is made here (the real rounds' files are never needed by the tests)."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grader.grade import grade
from grader.packs import load_pack
from grader.packs.new import NewPack, build_pack
from grader.run.dynamic import DynamicOptions

pytestmark = pytest.mark.docker

TABLE = "sensor readings"
SPELLINGS = {"Low": ["Low Activity", "LowActivity", "Low_Activity"], "Moderate": ["Moderate Activity"],
             "High": ["High Activity"]}

PIPELINE = '''
"""A candidate's pipeline for the round: reads the table as the paper names it, normalises the labels."""
import sqlite3
from pathlib import Path

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import train_test_split

LABELS = {"Low Activity": "Low Activity", "LowActivity": "Low Activity", "Low_Activity": "Low Activity",
          "Moderate Activity": "Moderate Activity", "High Activity": "High Activity"}
FEATURES = ["CO2 (ppm)", "Temperature (°C)"]


def load(path):
    with sqlite3.connect(path) as conn:
        return pd.read_sql_query('SELECT * FROM "sensor readings"', conn)


def main():
    frame = load("data/round.db")
    frame["label"] = frame["Activity Level"].map(LABELS)
    x_train, x_test, y_train, y_test = train_test_split(frame[FEATURES], frame["label"], test_size=0.25,
                                                        stratify=frame["label"], random_state=0)
    model = RandomForestClassifier(n_estimators=60, random_state=0).fit(x_train, y_train)
    predicted = model.predict(x_test)
    print(classification_report(y_test, predicted))
    print(f"Macro F1: {f1_score(y_test, predicted, average='macro'):.4f}")
    if Path("data/holdout.db").exists():
        holdout = load("data/holdout.db")
        model.fit(frame[FEATURES], frame["label"])
        Path("output").mkdir(exist_ok=True)
        pd.DataFrame({"row_id": holdout["row_id"], "Activity Level": model.predict(holdout[FEATURES])}).to_csv(
            "output/predictions.csv", index=False)


if __name__ == "__main__":
    main()
'''


def round_table(path: Path, rows: int = 900, seed: int = 11) -> Path:
    rng = np.random.default_rng(seed)
    level = rng.choice(list(SPELLINGS), rows, p=[0.55, 0.3, 0.15])
    co2 = np.where(level == "High", 900, np.where(level == "Moderate", 700, 500)) + rng.normal(0, 90, rows)
    frame = pd.DataFrame({"CO2 (ppm)": co2, "Temperature (°C)": rng.normal(24, 2, rows),
                          "Activity Level": [rng.choice(SPELLINGS[v]) for v in level]})
    with sqlite3.connect(path) as conn:
        conn.execute(f'CREATE TABLE "{TABLE}" ("CO2 (ppm)" REAL, "Temperature (°C)" REAL, "Activity Level" TEXT)')
        conn.executemany(f'INSERT INTO "{TABLE}" VALUES (?, ?, ?)', frame.itertuples(index=False))
    return path


@pytest.fixture(scope="module")
def round_pack(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("round")
    build_pack(NewPack(data_file=round_table(work / "round.db"), target="Activity Level", out=work / "pack",
                       modes=("predictions", "rerun"), seed=3))
    return work / "pack"


@pytest.fixture(scope="module")
def submission(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("candidate")
    (root / "src").mkdir()
    (root / "src" / "pipeline.py").write_text(textwrap.dedent(PIPELINE))
    (root / "run.sh").write_text("#!/bin/bash\nset -e\npython src/pipeline.py\n")
    (root / "requirements.txt").write_text("pandas\nscikit-learn\n")
    (root / "README.md").write_text("# Activity level\n\nRun `bash run.sh`.\n")
    return root


FAST = DynamicOptions(probes=False, notebook=False, assist=False, install_requirements=False)


def test_predictions_mode_scores_macro_f1_against_baselines(round_pack, submission, docker_sandbox):
    grading = grade(submission, load_pack(round_pack, "predictions"), docker_sandbox, options=FAST)
    assert grading.runs[0].status == "completed", grading.runs[0].stderr
    held = {e.code: e for e in grading.evidence}["HLD001"]
    assert held.metrics["valid"], held.summary
    assert held.metrics["macro_f1"] > held.data["baselines"]["majority_class"]["macro_f1"]
    assert held.metrics["beats_baseline"] is True
    assert "macro F1" in held.summary and "reference" in held.summary


def test_rerun_mode_reads_the_self_reported_macro_f1_on_raw_spellings(round_pack, submission, docker_sandbox):
    pack = load_pack(round_pack, "rerun")
    with sqlite3.connect(pack.fresh_sample) as conn:
        spellings = {r[0] for r in conn.execute(f'SELECT DISTINCT "Activity Level" FROM "{TABLE}"')}
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{TABLE}")')]
    assert {"LowActivity", "Low_Activity"} & spellings  # the fresh sample keeps the round's raw labels
    assert columns == ["CO2 (ppm)", "Temperature (°C)", "Activity Level", "row_id"]  # the training file's columns
    grading = grade(submission, pack, docker_sandbox, options=FAST)
    assert grading.runs[0].status == "completed", grading.runs[0].stderr
    reported = {e.code: e for e in grading.evidence}["HLD002"]
    assert reported.metrics["ran_on_unseen"] is True, reported.summary
    assert 0.3 < reported.metrics["reported_macro_f1"] <= 1.0
    assert "ratio_to_reference" in reported.metrics
