"""Every check declares the metrics it emits (name -> meaning): what it emits is declared, what it declares is said.

The rubric reads metrics by name; a metric a check emits but does not declare cannot be validated when the
rubric is loaded, and a declared name without a meaning tells the rubric's author nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks import CATALOGUE, declared_metrics
from checks.base import Evidence, declares
from checks.context import CheckContext
from grader.cli import main
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


def test_every_check_declares_its_metrics_with_a_meaning():
    assert len(DECLARED) == len(CATALOGUE)  # one entry per check: no two checks share a code
    for check in CATALOGUE:
        assert check.metrics, f"{check.code} declares no metrics"
        for name, meaning in check.metrics.items():
            assert name.strip() and isinstance(meaning, str) and meaning.strip(), (check.code, name)


def test_a_family_matches_by_pattern_and_nothing_else():
    assert declares({"recall_<class>"}, "recall_PurchaseCompleted")
    assert declares({"reported_<metric>"}, "reported_macro_f1")
    assert not declares({"recall_<class>"}, "recall_")  # a placeholder stands for some text, not none
    assert not declares({"recall_<class>"}, "precision_a")
    assert not declares({"function_share"}, "function_shar")
    assert declares(DECLARED["HLD001"], "recall_late") and declares(DECLARED["HLD002"], "reported_rmse")


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


def test_checks_list_prints_each_checks_metrics_under_it(capsys):
    assert main(["checks", "list"]) == 0
    out = capsys.readouterr().out
    pylint_block = out[out.index("PRG001"):out.index("PRG002")]
    assert "    metrics:" in pylint_block
    assert "      score: pylint's score 0-10" in pylint_block
    heldout_block = out[out.index("HLD001"):]
    assert "recall_<class>: multi-class: recall" in heldout_block
