"""Every check declares the metrics it emits (name -> meaning): what it emits is declared, what it declares is said.

The rubric reads metrics by name; a metric a check emits but does not declare cannot be validated when the
rubric is loaded, and a declared name without a meaning tells the rubric's author nothing.
"""

from __future__ import annotations

from checks import CATALOGUE, declared_metrics
from checks.base import declares
from grader.cli import main

DECLARED = declared_metrics()


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


def test_checks_list_prints_each_checks_metrics_under_it(capsys):
    assert main(["checks", "list"]) == 0
    out = capsys.readouterr().out
    pylint_block = out[out.index("PRG001"):out.index("PRG002")]
    assert "    metrics:" in pylint_block
    assert "      score: pylint's score 0-10" in pylint_block
    heldout_block = out[out.index("HLD001"):]
    assert "recall_<class>: multi-class: recall" in heldout_block
