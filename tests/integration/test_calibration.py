"""Agreement with the samples' blind ratings (EXPECTED.toml) must not drop below the level reached."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from grader.calibrate.agreement import agreement
from grader.calibrate.corpus import load_samples
from grader.rubric import load_rubric
from tests.conftest import SAMPLES

pytestmark = pytest.mark.docker
FLOOR = tomllib.loads((Path(__file__).resolve().parents[1] / "calibration_floor.toml").read_text())
SECTIONS = ("prog", "eda", "prep", "model", "pipeline")


@pytest.fixture(scope="module")
def calibration(sample_reports):
    samples = load_samples(SAMPLES)
    reference = {sid: sub.primary.levels for sid, sub in samples.submissions.items()}
    graded = {sid: {line["id"]: line["level"] for line in report["lines"]} for sid, report in sample_reports.items()}
    return agreement(reference, graded, [line.id for line in load_rubric().lines if line.auto])


def test_every_calibration_sample_was_graded(sample_reports):
    assert set(load_samples(SAMPLES).submissions) == set(sample_reports)
    assert {"strong", "average", "weak", "broken", "leaky", "plagiarised", "cd_src", "abs_path"} <= set(sample_reports)


@pytest.mark.parametrize("section", [*SECTIONS, None])
def test_agreement_does_not_drop(calibration, section):
    pairs = calibration.pooled(f"{section}." if section else "")
    key = section or "all"
    exact, within = pairs.rate(pairs.exact), pairs.rate(pairs.within_one)
    assert exact >= FLOOR["exact"][key], f"{key}: exact {exact:.3f} < {FLOOR['exact'][key]}"
    assert within >= FLOOR["within_one"][key], f"{key}: within one {within:.3f} < {FLOOR['within_one'][key]}"


def test_totals_rank_the_samples_as_the_rater_does(calibration):
    rho = calibration.spearman_totals()
    assert rho is not None and rho >= FLOOR["spearman_totals"], rho


def test_leak_and_plagiarised_copy_are_seen(sample_reports):
    leaky = {e["code"]: e for e in sample_reports["leaky"]["evidence"]}
    assert leaky["PRE002"]["metrics"]["leaks"] >= 2
    assert any("preprocessing.py" in loc["path"] for loc in leaky["PRE002"]["locations"])
    strong_f1 = sample_reports["strong"]["heldout"]["metrics"]["f1"]
    assert sample_reports["plagiarised"]["heldout"]["metrics"]["f1"] == strong_f1
