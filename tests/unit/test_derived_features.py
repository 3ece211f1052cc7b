"""FEA001 counts the columns a pipeline derives on its data frames, not the keys of its dicts (issue 17).

`metrics["f1"] = ...` in a dict of results is no feature; counting it fed `prep.feature_engineering` and put
`runtime_seconds` among the features the interview brief asks about.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checks.context import CheckContext
from checks.features import DerivedFeatures
from grader.intake.workspace import take_in
from grader.packs import Pack
from tests.conftest import SAMPLES

PIPELINE = '''
import json
import os

import pandas as pd
from typing import Any

SUMMARY = {}


def load(path):
    frame = pd.read_csv(path)
    frame["hour"] = pd.to_datetime(frame["ordered_at"]).dt.hour
    return frame.assign(is_weekend=0)


def add(df: pd.DataFrame, settings) -> pd.DataFrame:
    df["distance_per_item"] = df["distance_km"] / df["num_items"]
    return df


def scores(y, pred) -> dict[str, float]:
    return {"f1": 0.5}


def results_table(rows):
    return {"rows": rows}


def evaluate(model, frame, y, config: dict):
    metrics: dict[str, Any] = {"model": "rf"}
    metrics["runtime_seconds"] = 1.5
    report = {}
    report["accuracy"] = 0.9
    counts = dict(seen=1)
    counts["unseen"] = 2
    per_model = {}
    per_model["rf"]["test_f1"] = 0.6
    loaded = json.loads("{}")
    loaded["selected"] = "rf"
    made = scores(y, y)
    made["recall"] = 0.4
    table = results_table([])
    table["threshold"] = 0.5
    config["refit_classes"] = [0, 1]
    os.environ["PYTHONHASHSEED"] = "0"
    SUMMARY["best_model"] = "rf"
    frame["traffic_x_distance"] = frame["traffic_index"] * frame["distance_km"]
    return metrics


class Runner:
    def __init__(self):
        self.results = {}
        self.data = pd.DataFrame()

    def run(self):
        self.results["elapsed"] = 3
        self.data["speed"] = self.data["distance_km"] / 2
'''

FRAME_COLUMNS = {"hour", "is_weekend", "distance_per_item", "traffic_x_distance", "speed"}
DICT_KEYS = {"runtime_seconds", "accuracy", "unseen", "test_f1", "selected", "recall", "threshold", "refit_classes",
             "PYTHONHASHSEED", "best_model", "elapsed"}


def _run(tmp_path: Path, code: str) -> dict:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "pipeline.py").write_text(textwrap.dedent(code), encoding="utf-8")
    ctx = CheckContext(root=tmp_path, python_files=["src/pipeline.py"], notebooks=[], readme=None, run_script=None,
                       requirement_files=[], dataset_columns=("ordered_at", "distance_km", "num_items",
                                                              "traffic_index"))
    evidence = DerivedFeatures()(ctx)
    assert evidence.status == "ok", evidence.summary
    return evidence


def test_columns_of_data_frames_count_and_keys_of_dicts_do_not(tmp_path):
    evidence = _run(tmp_path, PIPELINE)
    derived = set(evidence.data["derived"])
    assert derived == FRAME_COLUMNS, (derived - FRAME_COLUMNS, FRAME_COLUMNS - derived)
    assert not derived & DICT_KEYS
    assert evidence.metrics["derived_features"] == len(FRAME_COLUMNS)


def test_a_name_that_is_a_frame_somewhere_in_its_scope_still_counts(tmp_path):
    code = '''
    import pandas as pd

    def build(rows):
        table = {}
        table = pd.DataFrame(rows)
        table["late_rate"] = table["late"].mean()
        return table
    '''
    assert _run(tmp_path, code).data["derived"] == ["late_rate"]  # rebound to a frame: not only a dict


def _derived_of(sample: str, pack: Pack, tmp_path: Path) -> list[str]:
    ws = take_in(SAMPLES / sample, tmp_path / sample)
    ctx = CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
                       run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
                       dataset_file=pack.dataset_file, dataset_columns=pack.columns, target=pack.target)
    return DerivedFeatures()(ctx).data["derived"]


@pytest.mark.parametrize(("sample", "features", "keys"), [
    ("strong", ["hour", "is_rush_hour", "is_weekend", "parcel_weight_kg"], {"runtime_seconds"}),
    ("plagiarised", ["order_hour", "parcel_weight_kg", "peak_flag", "weekend_flag"], {"refit_classes", "seconds"}),
    ("abs_path", ["bad_weather_km", "is_rush_hour", "is_weekend", "order_hour", "weight_kg"], {"selected"}),
    ("average", ["hour", "is_weekend"], set()),
])
def test_the_samples_derive_their_features_and_not_their_report_keys(sample, features, keys, mock_pack, tmp_path):
    derived = _derived_of(sample, mock_pack, tmp_path)
    assert derived == features
    assert not keys & set(derived)
