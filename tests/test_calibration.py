"""Agreement with the samples' intended levels must not drop below the level reached."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from grader.calibrate import calibration_samples, compare
from grader.rubric import load_rubric
from tests.conftest import SAMPLES

pytestmark = pytest.mark.docker
FLOOR = tomllib.loads((Path(__file__).with_name("calibration_floor.toml")).read_text())


@pytest.fixture(scope="module")
def calibration(sample_reports):
    return compare(load_rubric(), sample_reports, calibration_samples(SAMPLES))


def test_every_calibration_sample_was_graded(sample_reports):
    assert set(calibration_samples(SAMPLES)) == set(sample_reports)
    assert {"strong", "average", "weak", "broken", "leaky", "plagiarised"} <= set(sample_reports)


@pytest.mark.parametrize("section", ["prog", "eda", "prep", "model", "pipeline", None])
def test_agreement_does_not_drop(calibration, section):
    exact, within = calibration.rates(section)
    key = section or "all"
    assert exact >= FLOOR["exact"][key], f"{key}: exact agreement {exact:.2f} < {FLOOR['exact'][key]}"
    assert within >= FLOOR["within_one"][key], f"{key}: ±1 agreement {within:.2f} < {FLOOR['within_one'][key]}"


def test_leak_and_plagiarised_copy_are_seen(sample_reports):
    leaky = {e["code"]: e for e in sample_reports["leaky"]["evidence"]}
    assert leaky["PRE002"]["metrics"]["leaks"] >= 2
    assert any("preprocessing.py" in loc["path"] for loc in leaky["PRE002"]["locations"])
    strong_f1 = sample_reports["strong"]["heldout"]["metrics"]["f1"]
    assert sample_reports["plagiarised"]["heldout"]["metrics"]["f1"] == strong_f1
