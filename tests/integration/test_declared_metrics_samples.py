"""The checks emit only declared metrics on real submissions: the static phase on three samples, and the samples
graded in Docker (the dynamic checks' metrics)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks import CATALOGUE, declared_metrics
from checks.base import Evidence, declares
from checks.context import CheckContext
from grader.intake.workspace import take_in
from grader.packs import Pack
from tests.conftest import SAMPLES

# three samples cover the checks' paths (a flat script, a crashing pipeline, a full package): every check on
# every sample would add minutes of pylint to the suite for no new path
RATED = ["weak", "broken", "strong"]
DECLARED = declared_metrics()


def undeclared(evidence: list[Evidence] | list[dict]) -> list[str]:
    """`CODE.metric` for each emitted metric its check does not declare (a `<...>` family matched by pattern)."""
    out = []
    for e in evidence:
        code, metrics = (e.code, e.metrics) if isinstance(e, Evidence) else (e["code"], e.get("metrics", {}))
        out += [f"{code}.{name}" for name in metrics if not declares(DECLARED.get(code, set()), name)]
    return out


def context_for(sample: str, pack: Pack, tmp_path: Path) -> CheckContext:
    ws = take_in(SAMPLES / sample, tmp_path / sample)
    return CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
                        run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
                        dataset_file=pack.dataset_file, dataset_columns=pack.columns, target=pack.target,
                        settings={"min_models": pack.min_models, "heldout_mode": pack.heldout_mode,
                                  "task": pack.task})


@pytest.mark.parametrize("sample", RATED)
def test_the_checks_emit_only_declared_metrics_on_the_samples(sample, mock_pack, tmp_path):
    """Static checks measure the sample; dynamic ones, with no run, take their not-run paths."""
    ctx = context_for(sample, mock_pack, tmp_path)
    evidence = [check_class()(ctx) for check_class in CATALOGUE]
    assert any(e.metrics for e in evidence), sample
    assert undeclared(evidence) == [], sample


@pytest.mark.docker
def test_the_graded_samples_emit_only_declared_metrics(sample_reports):
    """A full grading (run, probes, notebook) of every sample: the dynamic checks' metrics are declared too."""
    assert sample_reports
    for name, report in sample_reports.items():
        evidence = report.get("evidence", [])
        assert evidence, name
        assert undeclared(evidence) == [], name

