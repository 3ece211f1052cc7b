"""report.json follows the JSON Schema for real gradings: static, not graded and finalized, and every sample
graded in Docker."""

from __future__ import annotations

import json
import re

import pytest

from grader.cli import main
from grader.rubric import load_rubric
from tests.conftest import SAMPLES
from tests.schema_helpers import validate


@pytest.mark.docker
def test_every_sample_report_validates(sample_reports):
    rubric = load_rubric()
    for name, report in sample_reports.items():
        validate(report)
        assert 6 <= len(report["interview_brief"]) <= 10, name
        assert {q["line"] for q in report["interview_brief"]} <= {line.id for line in rubric.lines}


def test_static_not_graded_and_finalized_reports_validate(tmp_path, mock_pack):
    out = tmp_path / "weak"
    assert main(["check", str(SAMPLES / "weak"), "--pack", str(mock_pack.root), "--backend", "none",
                 "--out", str(out)]) == 0
    assert main(["review", str(out), "--line", "prog.readability", "--level", "2", "--reason", "r",
                 "--assessor", "a"]) == 0
    assert main(["finalize", str(out)]) == 0
    validate(json.loads((out / "report.json").read_text()))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert main(["check", str(bad), "--pack", str(mock_pack.root), "--backend", "none",
                 "--out", str(tmp_path / "bad")]) == 3  # not graded: the report says why
    validate(json.loads((tmp_path / "bad" / "report.json").read_text()))


def test_candidate_improvements_point_at_a_place(tmp_path, mock_pack, capsys):
    out = tmp_path / "weak"
    assert main(["check", str(SAMPLES / "weak"), "--pack", str(mock_pack.root), "--backend", "none",
                 "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    assert len(report["improvements"]) == 3
    for item in report["improvements"]:
        assert re.match(r"^(\S+\.\w+:\d+ |README section missing: )", item["where"]), item
    printed = capsys.readouterr().out
    assert "the three most valuable improvements" in printed and "[prog.reusability, level 0]" in printed

