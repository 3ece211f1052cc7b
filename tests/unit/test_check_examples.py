"""Each check's documented example, run (pylint's doc/data/messages, ruff's one fixture per code).

tests/check_examples/<CODE>/ holds a bad/ and a good/ case (a tiny submission, plus run.json for what
the sandbox runs would have shown) and expect.toml: for each case, the evidence's status and conditions
on the check's declared metrics. tests/check_examples/README.md describes the format.
"""

from __future__ import annotations

import operator
import tomllib
from pathlib import Path

import pytest

from checks import CATALOGUE
from checks.base import Check, Evidence, declares
from tests.check_helpers import load_case

EXAMPLES = Path(__file__).resolve().parents[1] / "check_examples"
CASES = ("bad", "good")
OPERATORS = {"<=": operator.le, ">=": operator.ge, "!=": operator.ne, "==": operator.eq, "<": operator.lt,
             ">": operator.gt}


def meets(value: object, condition: object) -> bool:
    """Whether a metric's value meets a condition: `"< 5"`-style text compares numbers, anything else is equality."""
    if isinstance(condition, str):
        for symbol, compare in OPERATORS.items():
            if condition.startswith(symbol):
                wanted = condition[len(symbol):].strip()
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    return compare(str(value), wanted)
                return compare(value, float(wanted))
    return value == condition


def unmet(evidence: Evidence, expected: dict) -> list[str]:
    """What the evidence does not show of what expect.toml says it must."""
    problems = []
    if evidence.status != expected.get("status", "ok"):
        problems.append(f"status {evidence.status!r}, expected {expected.get('status', 'ok')!r}")
    for name, condition in expected.get("metrics", {}).items():
        if name not in evidence.metrics:
            problems.append(f"metric {name} missing")
        elif not meets(evidence.metrics[name], condition):
            problems.append(f"{name} = {evidence.metrics[name]!r}, expected {condition!r}")
    text = "\n".join([evidence.summary, *evidence.findings, *(loc.snippet for loc in evidence.locations)])
    problems += [f"no {words!r} in the summary, findings or locations" for words in expected.get("says", [])
                 if words not in text]
    return problems


@pytest.mark.parametrize("check_class", CATALOGUE, ids=lambda c: c.code)
def test_the_documented_example_shows_what_expect_toml_says(check_class: type[Check], tmp_path):
    folder = EXAMPLES / check_class.code
    assert (folder / "expect.toml").is_file(), f"{check_class.code}: no documented example in {folder}"
    expect = tomllib.loads((folder / "expect.toml").read_text())
    found = {}
    for case in CASES:
        evidence = check_class()(load_case(folder / case, tmp_path / case))
        for name in expect[case].get("metrics", {}):
            assert declares(check_class.metrics, name), f"{check_class.code}: {name} is not a declared metric"
        problems = unmet(evidence, expect[case])
        assert not problems, f"{check_class.code} {case}: {problems}\n{evidence.summary}\n{evidence.metrics}"
        found[case] = (evidence.status, evidence.metrics)
    assert found["bad"] != found["good"], f"{check_class.code}: bad and good report the same"


def test_every_example_folder_names_a_catalogued_check():
    codes = {c.code for c in CATALOGUE}
    assert {p.name for p in EXAMPLES.iterdir() if p.is_dir()} <= codes
