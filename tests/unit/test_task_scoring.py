"""Held-out scoring of every task type (issue 15 item 2): binary with text labels, multi-class with a labels map,
regression; baselines, bootstrap intervals, direction-aware bands, and missing or malformed rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    balanced_accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    recall_score,
)

from checks.base import OK
from checks.context import CheckContext, HeldoutTask
from checks.heldout import HeldoutPredictions, band
from checks.reproducibility import compare_predictions
from checks.robustness import RobustnessProbes
from checks.scoring import Encoded, baselines, bootstrap_interval, point_metrics, score_predictions
from sandbox.base import RunResult

ID, TARGET = "row_id", "outcome"
LEVELS = ("Low", "Moderate", "High")
RAW = {"Low Activity": "Low", "LowActivity": "Low", "low_activity": "Low", "Moderate Activity": "Moderate",
       "High Activity": "High", "HIGH": "High"}


def _task(tmp_path: Path, labels: list, task: str, **kwargs) -> HeldoutTask:
    ids = [f"R{i:05d}" for i in range(len(labels))]
    path = tmp_path / "labels.csv"
    pd.DataFrame({ID: ids, TARGET: labels}).to_csv(path, index=False)
    return HeldoutTask(labels_path=path, id_column=ID, target=TARGET, task=task, **kwargs)


def _write(tmp_path: Path, values: list, ids: list[str] | None = None, name: str = "predictions.csv",
           **extra) -> Path:
    ids = ids if ids is not None else [f"R{i:05d}" for i in range(len(values))]
    path = tmp_path / name
    pd.DataFrame({ID: ids, TARGET: values, **extra}).to_csv(path, index=False)
    return path


def _ids(n: int) -> list[str]:
    return [f"R{i:05d}" for i in range(n)]


def _binary_labels(n: int = 400, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random(n) < 0.3


def _yes_no_task(tmp_path: Path, truth: np.ndarray) -> HeldoutTask:
    return _task(tmp_path, list(np.where(truth, "yes", "no")), "binary", positive_label="yes")


def _multiclass(n: int = 600, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    pred = np.where(rng.random(n) < 0.7, truth, rng.choice(3, size=n))
    return truth, pred


def _regression(n: int = 500, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.normal(50, 10, n)
    return truth, truth + rng.normal(0, 4, n)


# ---------------------------------------------------------------- binary with text labels
def test_binary_text_labels_accept_any_case_and_spacing_of_the_classes(tmp_path):
    truth = _binary_labels()
    task = _yes_no_task(tmp_path, truth)
    result = score_predictions(_write(tmp_path, list(np.where(truth, "Yes ", " NO"))), task)
    assert result.valid and not result.problems
    assert result.metrics["f1"] == 1.0 and result.metrics["accuracy"] == 1.0 and result.primary == "f1"


def test_binary_text_labels_do_not_take_one_and_zero(tmp_path):
    truth = _binary_labels()
    task = _yes_no_task(tmp_path, truth)
    result = score_predictions(_write(tmp_path, list(truth.astype(int))), task)
    assert result.valid and result.metrics["f1"] == 0.0  # "1" is no class here: counted as not positive
    assert any("are not no/yes" in p and "'1'" in p for p in result.problems)


def test_binary_zero_one_labels_take_words_and_floats(tmp_path):
    truth = _binary_labels()
    task = _task(tmp_path, list(truth.astype(int)), "binary", positive_label="1")
    for spelling in ({True: "true", False: "False"}, {True: "1.0", False: "0.0"}, {True: "Yes", False: "no"}):
        result = score_predictions(_write(tmp_path, [spelling[bool(t)] for t in truth]), task)
        assert result.metrics["f1"] == 1.0 and not result.problems, spelling


def test_binary_metrics_match_sklearn_and_probabilities_give_roc_and_pr_auc(tmp_path):
    truth = _binary_labels(800)
    rng = np.random.default_rng(5)
    proba = np.clip(truth * 0.4 + rng.random(len(truth)) * 0.6, 0, 1)
    pred = proba > 0.5
    task = _yes_no_task(tmp_path, truth)
    result = score_predictions(_write(tmp_path, list(np.where(pred, "yes", "no")),
                                      **{f"{TARGET}_proba": proba}), task)
    assert result.metrics["f1"] == round(f1_score(truth, pred), 4)
    assert result.metrics["recall"] == round(recall_score(truth, pred), 4)
    assert 0.5 < result.metrics["roc_auc"] <= 1.0 and 0.3 < result.metrics["pr_auc"] <= 1.0
    assert list(result.metrics)[0] == "f1"


# ---------------------------------------------------------------- multi-class with a labels map
def test_multiclass_predictions_may_use_any_raw_spelling_of_the_labels_map(tmp_path):
    truth, _ = _multiclass()
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS, labels_map=RAW,
                 primary_metric="macro_f1")
    spellings = {"Low": ["Low Activity", "low_activity", " lowactivity "], "Moderate": ["moderate activity"],
                 "High": ["HIGH", "high"]}
    written = [spellings[LEVELS[t]][i % len(spellings[LEVELS[t]])] for i, t in enumerate(truth)]
    result = score_predictions(_write(tmp_path, written), task)
    assert result.valid and not result.problems
    assert result.metrics["macro_f1"] == 1.0 and result.metrics["balanced_accuracy"] == 1.0
    assert result.primary == "macro_f1" and list(result.metrics)[0] == "macro_f1"


def test_multiclass_metrics_and_recall_per_class_match_sklearn(tmp_path):
    truth, pred = _multiclass()
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS, primary_metric="macro_f1")
    result = score_predictions(_write(tmp_path, [LEVELS[p] for p in pred]), task)
    assert result.metrics["macro_f1"] == round(f1_score(truth, pred, average="macro"), 4)
    assert result.metrics["balanced_accuracy"] == round(balanced_accuracy_score(truth, pred), 4)
    recalls = recall_score(truth, pred, average=None)
    assert {k: v for k, v in result.metrics.items() if k.startswith("recall_")} == {
        f"recall_{name}": round(float(r), 4) for name, r in zip(LEVELS, recalls, strict=True)}


def test_multiclass_classes_come_from_the_labels_when_the_pack_names_none(tmp_path):
    truth, pred = _multiclass()
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass")
    result = score_predictions(_write(tmp_path, [LEVELS[p].lower() for p in pred]), task)
    assert result.primary == "macro_f1" and set(k for k in result.metrics if k.startswith("recall_")) == {
        "recall_High", "recall_Low", "recall_Moderate"}


def test_unknown_classes_are_problems_with_examples_and_count_wrong(tmp_path):
    truth, _ = _multiclass()
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS)
    written = [LEVELS[t] if i % 5 else "Extreme" for i, t in enumerate(truth)]
    result = score_predictions(_write(tmp_path, written), task)
    assert result.valid and result.metrics["accuracy"] == pytest.approx(0.8, abs=1e-3)
    assert any("'Extreme'" in p and "one of Low, Moderate, High" in p and "counted as wrong" in p
               for p in result.problems)


# ---------------------------------------------------------------- regression
def test_regression_metrics_match_sklearn(tmp_path):
    truth, pred = _regression()
    task = _task(tmp_path, list(truth), "regression", positive_label=None, primary_metric="rmse")
    result = score_predictions(_write(tmp_path, list(pred)), task)
    assert result.valid and result.primary == "rmse"
    assert result.metrics["rmse"] == round(mean_squared_error(truth, pred) ** 0.5, 4)
    assert result.metrics["mae"] == round(mean_absolute_error(truth, pred), 4)
    assert result.metrics["r2"] == round(r2_score(truth, pred), 4)


def test_non_numeric_regression_values_are_problems_and_get_the_mean_of_the_predictions(tmp_path):
    truth, pred = _regression()
    task = _task(tmp_path, list(truth), "regression", positive_label=None)
    written = [str(p) if i % 10 else ("abc" if i % 20 else "inf") for i, p in enumerate(pred)]
    result = score_predictions(_write(tmp_path, written), task)
    assert result.valid
    assert any("not numbers" in p and "'abc'" in p for p in result.problems)
    assert any("mean of the numeric predictions" in p for p in result.problems)
    usable = np.array([bool(i % 10) for i in range(len(pred))])
    filled = np.where(usable, pred, pred[usable].mean())
    assert result.metrics["rmse"] == round(mean_squared_error(truth, filled) ** 0.5, 4)


def test_a_regression_file_with_no_number_is_not_scored(tmp_path):
    truth, _ = _regression(50)
    task = _task(tmp_path, list(truth), "regression", positive_label=None)
    result = score_predictions(_write(tmp_path, ["n/a"] * len(truth)), task)
    assert not result.valid and any("no numeric value" in p for p in result.problems)


# ---------------------------------------------------------------- missing rows never raise the score
def test_missing_rows_count_as_not_positive_in_binary(tmp_path):
    truth = _binary_labels(600)
    task = _yes_no_task(tmp_path, truth)
    keep = np.arange(len(truth)) % 3 != 0
    written = np.where(truth, "yes", "no")
    partial = score_predictions(_write(tmp_path, list(written[keep]), list(np.array(_ids(len(truth)))[keep])), task)
    as_no = score_predictions(_write(tmp_path, list(np.where(keep, written, "no")), name="no.csv"), task)
    complete = score_predictions(_write(tmp_path, list(written), name="all.csv"), task)
    assert partial.metrics == as_no.metrics and partial.metrics["f1"] < complete.metrics["f1"] == 1.0
    assert any("no prediction" in p and "not positive" in p for p in partial.problems)


def test_missing_rows_in_multiclass_cost_what_a_wrong_prediction_costs(tmp_path):
    truth, pred = _multiclass()
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS)
    keep = np.arange(len(truth)) % 4 != 0
    written = np.array([LEVELS[p] for p in pred])
    partial = score_predictions(_write(tmp_path, list(written[keep]), list(np.array(_ids(len(truth)))[keep])), task)
    wrong = np.array([LEVELS[(t + 1) % 3] for t in truth])
    as_wrong = score_predictions(_write(tmp_path, list(np.where(keep, written, wrong)), name="wrong.csv"), task)
    assert partial.metrics == as_wrong.metrics  # not a free abstention: a false positive too, like a wrong guess
    complete = score_predictions(_write(tmp_path, list(written), name="all.csv"), task)
    assert partial.metrics["macro_f1"] < complete.metrics["macro_f1"]
    for cls in LEVELS:  # a missing row is never counted right: accuracy and every recall can only fall
        filled = score_predictions(_write(tmp_path, list(np.where(keep, written, cls)), name=f"{cls}.csv"), task)
        assert partial.metrics["accuracy"] <= filled.metrics["accuracy"]
        assert all(partial.metrics[f"recall_{c}"] <= filled.metrics[f"recall_{c}"] for c in LEVELS)
    assert any("no prediction" in p and "counted as wrong" in p for p in partial.problems)


def test_missing_rows_in_regression_gain_nothing_over_writing_the_mean_of_ones_own_predictions(tmp_path):
    truth, pred = _regression()
    task = _task(tmp_path, list(truth), "regression", positive_label=None)
    keep = np.arange(len(truth)) % 3 != 0
    partial = score_predictions(_write(tmp_path, list(pred[keep]), list(np.array(_ids(len(truth)))[keep])), task)
    own_mean = score_predictions(_write(tmp_path, list(np.where(keep, pred, pred[keep].mean())), name="m.csv"), task)
    complete = score_predictions(_write(tmp_path, list(pred), name="all.csv"), task)
    assert partial.metrics == own_mean.metrics and partial.metrics["rmse"] > complete.metrics["rmse"]
    perfect_partial = score_predictions(_write(tmp_path, list(truth[keep]), list(np.array(_ids(len(truth)))[keep]),
                                               name="p.csv"), task)
    assert perfect_partial.metrics["rmse"] > 0  # a perfect file with holes is no longer perfect


def test_misaligned_ids_are_not_scored_for_any_task(tmp_path):
    truth, _ = _regression(100)
    task = _task(tmp_path, list(truth), "regression", positive_label=None)
    result = score_predictions(_write(tmp_path, list(truth), [f"X{i}" for i in range(100)]), task)
    assert not result.valid and any("misaligned" in p for p in result.problems)


# ---------------------------------------------------------------- baselines
def test_binary_baselines(tmp_path):
    truth = _binary_labels(2000)
    base = baselines(_yes_no_task(tmp_path, truth))
    p = truth.mean()
    assert base["majority_class"]["f1"] == 0.0 and base["majority_class"]["accuracy"] == round(1 - p, 4)
    assert base["always_positive"]["f1"] == pytest.approx(2 * p / (1 + p), abs=1e-3)
    assert base["stratified"]["f1"] == pytest.approx(p, abs=0.03)  # random guessing in the class proportions
    assert "reference" not in base


def test_multiclass_baselines(tmp_path):
    truth, _ = _multiclass(3000)
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS, reference={"macro_f1": 0.6})
    base = baselines(task)
    shares = np.bincount(truth) / len(truth)
    assert set(base) == {"majority_class", "stratified", "reference"}
    assert base["majority_class"]["accuracy"] == round(shares.max(), 4)
    assert base["majority_class"]["balanced_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert base["stratified"]["macro_f1"] == pytest.approx(1 / 3, abs=0.03)
    assert base["stratified"]["accuracy"] == pytest.approx((shares ** 2).sum(), abs=0.02)
    assert base["reference"] == {"macro_f1": 0.6}


def test_regression_baselines(tmp_path):
    truth, _ = _regression(1000)
    base = baselines(_task(tmp_path, list(truth), "regression", positive_label=None))
    assert set(base) == {"mean", "median"}
    assert base["mean"]["r2"] == 0.0 and base["mean"]["rmse"] == pytest.approx(truth.std(), abs=1e-3)
    assert base["median"]["mae"] <= base["mean"]["mae"]


def test_the_stratified_baseline_is_seeded(tmp_path):
    truth = _binary_labels(500)
    task = _yes_no_task(tmp_path, truth)
    assert baselines(task)["stratified"] == baselines(task)["stratified"]


# ---------------------------------------------------------------- bootstrap intervals
@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
def test_bootstrap_interval_contains_the_point_and_narrows_with_more_rows(kind):
    def encoded(n: int) -> tuple[Encoded, str]:
        if kind == "regression":
            truth, pred = _regression(n)
            return Encoded(kind, truth, pred), "rmse"
        if kind == "multiclass":
            truth, pred = _multiclass(n)
            return Encoded(kind, truth, pred, LEVELS), "macro_f1"
        truth = _binary_labels(n).astype(int)
        pred = np.where(np.random.default_rng(9).random(n) < 0.8, truth, 1 - truth)
        return Encoded(kind, truth, pred, ("no", "yes")), "f1"

    small, metric = encoded(300)
    large, _ = encoded(3000)
    low_s, high_s = bootstrap_interval(small, metric)
    low_l, high_l = bootstrap_interval(large, metric)
    assert low_s <= point_metrics(small)[metric] <= high_s
    assert low_l <= point_metrics(large)[metric] <= high_l
    assert high_l - low_l < high_s - low_s
    assert bootstrap_interval(large, metric) == [low_l, high_l]  # seeded


# ---------------------------------------------------------------- bands and HLD001
def test_band_is_direction_aware_for_errors():
    # rmse: reference 1.2, best trivial baseline (mean) 2.0; lower is better
    assert band([0.9, 1.1], 1.2, 2.0, higher_better=False) == 3
    assert band([1.1, 1.3], 1.2, 2.0, higher_better=False) == 2
    assert band([1.4, 1.6], 1.2, 2.0, higher_better=False) == 1
    assert band([1.9, 2.1], 1.2, 2.0, higher_better=False) == 0
    assert band([2.1, 2.5], 1.2, 2.0, higher_better=False) == 0
    assert band([0.9, 1.1], 1.2, 2.0) == 0  # read as a higher-is-better metric, the same numbers are poor


def _hld001(tmp_path: Path, task: HeldoutTask):
    run = RunResult(backend="test", label="pipeline", command=("bash", "run.sh"), status="completed", exit_code=0,
                    duration_s=1.0, output_dir=tmp_path)
    ctx = CheckContext(root=tmp_path, python_files=[], notebooks=[], readme=None, run_script="run.sh",
                       requirement_files=[], run=run, heldout=task, settings={"heldout_mode": "predictions"})
    return HeldoutPredictions()(ctx)


def test_hld001_regression_reads_lower_rmse_as_better(tmp_path):
    truth, pred = _regression(1000)
    task = _task(tmp_path, list(truth), "regression", positive_label=None, primary_metric="rmse",
                 reference={"rmse": 5.0, "mae": 4.0, "r2": 0.75})
    _write(tmp_path, list(pred))
    evidence = _hld001(tmp_path, task)
    assert evidence.status == OK and evidence.metrics["valid"] is True
    m = evidence.metrics
    assert m["primary"] == m["rmse"] and m["primary_low"] < m["rmse"] < m["primary_high"]
    assert m["beats_baseline"] is True and m["band_rank"] == 3  # rmse ~4 against a reference of 5
    assert m["ratio_to_reference"] == round(5.0 / m["rmse"], 3) and m["ratio_to_reference"] > 1
    assert "beats_always_positive" not in m and "f1_low" not in m
    assert evidence.summary.startswith("held-out RMSE ") and "reference 5.000, mean 10." in evidence.summary
    assert evidence.summary.endswith("better than the reference pipeline")

    _write(tmp_path, list(np.full(len(truth), truth.mean() + 8)))  # worse than predicting the mean
    worse = _hld001(tmp_path, task).metrics
    assert worse["beats_baseline"] is False and worse["band_rank"] == 0 and worse["ratio_to_reference"] < 1


def test_hld001_multiclass_summary_names_the_metric_and_its_baselines(tmp_path):
    truth, pred = _multiclass(1000)
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS, primary_metric="macro_f1",
                 reference={"macro_f1": 0.7})
    _write(tmp_path, [LEVELS[p] for p in pred])
    evidence = _hld001(tmp_path, task)
    m = evidence.metrics
    assert m["primary"] == m["macro_f1"] and m["beats_baseline"] is True and m["band_rank"] in (1, 2, 3)
    assert m["ratio_to_reference"] == round(m["macro_f1"] / 0.7, 3)
    assert evidence.summary.startswith("held-out macro F1 ") and "majority 0." in evidence.summary
    assert "stratified 0." in evidence.summary and "reference 0.700" in evidence.summary
    assert evidence.data["primary_metric"] == "macro_f1"


def test_hld001_binary_keeps_the_metrics_the_rubric_reads(tmp_path):
    truth = _binary_labels(1000)
    task = _task(tmp_path, list(np.where(truth, "yes", "no")), "binary", positive_label="yes",
                 reference={"f1": 0.8})
    _write(tmp_path, list(np.where(truth, "yes", "no")))
    m = _hld001(tmp_path, task).metrics
    assert m["beats_always_positive"] is True and m["beats_baseline"] is True
    assert m["f1_low"] == m["primary_low"] and m["f1_high"] == m["primary_high"] == 1.0
    _write(tmp_path, ["yes"] * len(truth))  # always positive: no better than the baseline
    always = _hld001(tmp_path, task).metrics
    assert always["beats_always_positive"] is False and always["beats_baseline"] is False
    assert always["band_rank"] == 0


# ---------------------------------------------------------------- robustness and reproducibility on other tasks
def test_robustness_counts_a_complete_text_label_file_as_complete(tmp_path):
    truth, _ = _multiclass(200)
    task = _task(tmp_path, [LEVELS[t] for t in truth], "multiclass", classes=LEVELS)
    _write(tmp_path, [LEVELS[t] for t in truth])
    run = RunResult(backend="test", label="probe", command=("bash",), status="completed", exit_code=0,
                    duration_s=1.0, output_dir=tmp_path)
    ctx = CheckContext(root=tmp_path, python_files=[], notebooks=[], readme=None, run_script="run.sh",
                       requirement_files=[], heldout=task)
    assert RobustnessProbes._complete(run, ctx) is True
    _write(tmp_path, [LEVELS[t] for t in truth][:150], _ids(150))
    assert RobustnessProbes._complete(run, ctx) is False


def test_reproducibility_compares_numbers_within_rounding_and_classes_without_case(tmp_path):
    first = _write(tmp_path, [1.0, 2.5, 3.0], name="a.csv")
    second = _write(tmp_path, ["1.0000000000001", "2.5", "3.2"], name="b.csv")
    assert compare_predictions(first, second, ID, TARGET)["label_agreement"] == pytest.approx(2 / 3, abs=1e-4)
    words = compare_predictions(_write(tmp_path, ["Low", "High"], name="c.csv"),
                                _write(tmp_path, ["low ", "Moderate"], name="d.csv"), ID, TARGET)
    assert words["label_agreement"] == 0.5


def test_reproducibility_of_a_regression_run_pair(tmp_path):
    from checks.reproducibility import Reproducibility

    truth, pred = _regression(50)
    task = _task(tmp_path, list(truth), "regression", positive_label=None)
    runs = []
    for name, values in (("one", pred), ("two", pred + 1e-13)):
        folder = tmp_path / name
        folder.mkdir()
        _write(folder, list(values))
        runs.append(RunResult(backend="test", label=name, command=("bash",), status="completed", exit_code=0,
                              duration_s=1.0, output_dir=folder, output_files=["predictions.csv"]))
    ctx = CheckContext(root=tmp_path, python_files=[], notebooks=[], readme=None, run_script="run.sh",
                       requirement_files=[], run=runs[0], repeat_run=runs[1], heldout=task)
    evidence = Reproducibility()(ctx)
    assert evidence.metrics["identical"] is True, evidence.summary
    _write(tmp_path / "two", list(pred + 0.5))
    again = Reproducibility()(ctx)
    assert again.metrics["identical"] is False and "0.0% of predictions agree" in again.summary
