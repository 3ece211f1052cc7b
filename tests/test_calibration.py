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


FIRST_SIX = ("strong", "average", "weak", "broken", "leaky", "plagiarised")


@pytest.fixture(scope="module")
def calibration(sample_reports):
    expected = calibration_samples(SAMPLES)
    return {"six": compare(load_rubric(), sample_reports, {k: v for k, v in expected.items() if k in FIRST_SIX}),
            "all": compare(load_rubric(), sample_reports, expected)}


def test_every_calibration_sample_was_graded(sample_reports):
    assert set(calibration_samples(SAMPLES)) == set(sample_reports)
    assert set(FIRST_SIX) | {"cd_src", "abs_path"} <= set(sample_reports)


@pytest.mark.parametrize("samples", ["six", "all"])
@pytest.mark.parametrize("section", ["prog", "eda", "prep", "model", "pipeline", None])
def test_agreement_does_not_drop(calibration, section, samples):
    exact, within = calibration[samples].rates(section)
    key = section or "all"
    suffix = "" if samples == "six" else "_all"
    assert exact >= FLOOR[f"exact{suffix}"][key], f"{samples}/{key}: exact {exact:.3f} < {FLOOR[f'exact{suffix}'][key]}"
    assert within >= FLOOR[f"within_one{suffix}"][key], f"{samples}/{key}: ±1 {within:.3f}"


def test_leak_and_plagiarised_copy_are_seen(sample_reports):
    leaky = {e["code"]: e for e in sample_reports["leaky"]["evidence"]}
    assert leaky["PRE002"]["metrics"]["leaks"] >= 2
    assert any("preprocessing.py" in loc["path"] for loc in leaky["PRE002"]["locations"])
    strong_f1 = sample_reports["strong"]["heldout"]["metrics"]["f1"]
    assert sample_reports["plagiarised"]["heldout"]["metrics"]["f1"] == strong_f1
