"""Held-out scoring: a missing, malformed or misaligned predictions file is evidence, never a crash."""

from __future__ import annotations

import pandas as pd
import pytest

from checks.scoring import baselines, score_predictions


@pytest.fixture(scope="module")
def labels(mock_pack):
    return pd.read_csv(mock_pack.labels, dtype={mock_pack.id_column: str})


@pytest.fixture
def task(mock_pack):
    return mock_pack.heldout_task()


@pytest.fixture
def y(task):
    """The target column's name (the tests never spell the pack's own)."""
    return task.target


def write(tmp_path, frame: pd.DataFrame, name="predictions.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_perfect_predictions(tmp_path, task, labels, y):
    frame = labels.assign(**{f"{y}_proba": labels[y].astype(float)})
    result = score_predictions(write(tmp_path, frame), task)
    assert result.valid and not result.problems
    assert result.metrics["f1"] == 1.0 and result.metrics["roc_auc"] == 1.0 and result.coverage == 1.0
    assert result.metrics["pr_auc"] == 1.0 and result.interval["f1"] == [1.0, 1.0]


def test_missing_file(tmp_path, task):
    result = score_predictions(tmp_path / "predictions.csv", task)
    assert not result.valid
    assert "was not written" in result.problems[0]


def test_binary_garbage_is_not_a_crash(tmp_path, task):
    path = tmp_path / "predictions.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 50)
    result = score_predictions(path, task)
    assert not result.valid
    assert result.problems


def test_missing_column_is_named(tmp_path, task, labels, y):
    result = score_predictions(write(tmp_path, labels.rename(columns={y: "prediction"})), task)
    assert not result.valid
    assert f"lacks column(s) {y}" in result.problems[0]


def test_misaligned_ids_are_not_scored(tmp_path, task, labels):
    shifted = labels.assign(**{task.id_column: "X" + labels[task.id_column]})
    result = score_predictions(write(tmp_path, shifted), task)
    assert not result.valid
    assert any("misaligned" in p for p in result.problems)


def test_partial_predictions_count_missing_rows_as_negative(tmp_path, task, labels, y):
    positives_only = labels[labels[y] == 1]
    extra = labels[labels[y] == 0].head(len(labels) // 2)
    result = score_predictions(write(tmp_path, pd.concat([positives_only, extra])), task)
    assert result.valid
    assert result.metrics["precision"] == 1.0 and result.metrics["recall"] == 1.0
    assert result.metrics["accuracy"] == 1.0 and result.coverage < 1.0
    assert any("no prediction" in p for p in result.problems)


def test_words_and_bad_values(tmp_path, task, labels, y):
    words = labels.assign(**{y: labels[y].map({1: "Yes", 0: "no"})})
    assert score_predictions(write(tmp_path, words), task).metrics["f1"] == 1.0
    bad = labels.assign(**{y: labels[y].astype(str).where(labels.index % 10 != 0, "maybe")})
    result = score_predictions(write(tmp_path, bad, "bad.csv"), task)
    assert result.valid and result.metrics["f1"] < 1.0
    assert any("not 0/1" in p for p in result.problems)


def test_probability_out_of_range_drops_auc(tmp_path, task, labels, y):
    frame = labels.assign(**{f"{y}_proba": labels[y] * 7.0})
    result = score_predictions(write(tmp_path, frame), task)
    assert "roc_auc" not in result.metrics and "pr_auc" not in result.metrics
    assert any("[0, 1]" in p for p in result.problems)


def test_duplicate_ids_score_the_first(tmp_path, task, labels, y):
    flipped = labels.head(100).assign(**{y: 1 - labels.head(100)[y]})
    result = score_predictions(write(tmp_path, pd.concat([labels, flipped])), task)
    assert result.metrics["f1"] == 1.0
    assert any("duplicate" in p for p in result.problems)


def test_baselines(task, labels, y):
    base = baselines(task)
    p = labels[y].mean()
    assert set(base) == {"majority_class", "stratified", "always_positive", "reference"}
    assert base["majority_class"]["f1"] == 0.0
    assert base["always_positive"]["f1"] == pytest.approx(2 * p / (1 + p), abs=1e-3)
    assert base["reference"]["f1"] == task.reference["f1"]
