"""Assessor overrides: review -> finalize round trip, audit trail, survival of a re-grade."""

from __future__ import annotations

import json

from grader.cli import main
from tests.conftest import SAMPLES


def _grade(src, out, mock_pack):
    assert main(["check", str(src), "--pack", str(mock_pack.root), "--backend", "none", "--out", str(out)]) == 0
    return json.loads((out / "report.json").read_text())


def test_review_finalize_round_trip_and_regrade(tmp_path, mock_pack, capsys):
    out = tmp_path / "out"
    report = _grade(SAMPLES / "weak", out, mock_pack)
    before = next(line for line in report["lines"] if line["id"] == "prog.exception_handling")
    assert main(["review", str(out), "--line", "prog.exception_handling", "--level", "2",
                 "--reason", "validates the input in the interview demo", "--assessor", "A. Tan"]) == 0
    assert main(["review", str(out), "--line", "comm.eda", "--level", "3",
                 "--reason", "clear story", "--assessor", "A. Tan"]) == 0
    assert main(["finalize", str(out)]) == 0
    final = json.loads((out / "report.json").read_text())["final"]
    audit = {item["line"]: item for item in final["audit"]}
    assert audit["prog.exception_handling"]["old"] == before["level"]
    assert audit["prog.exception_handling"]["new"] == 2 and audit["prog.exception_handling"]["assessor"] == "A. Tan"
    assert final["points"] == report["score"]["points"] - before["level"] + 2
    assert final["interview_levels"] == {"comm.eda": 3}
    line = next(item for item in final["lines"] if item["id"] == "prog.exception_handling")
    assert line["level"] == 2 and "assessor override by A. Tan" in line["reason"]
    html = (out / "report.html").read_text()  # finalize renders the page again, with the audit trail
    assert "validates the input in the interview demo" in html and "Final after assessor overrides" in html

    regraded = _grade(SAMPLES / "weak", out, mock_pack)  # same submission: the overrides survive
    assert regraded["final"]["points"] == final["points"] and not regraded["final"]["stale_overrides"]
    assert "assessor overrides applied: 2 current" in capsys.readouterr().out


def test_overrides_of_a_changed_submission_are_stale(tmp_path, mock_pack):
    import shutil

    src = tmp_path / "sub"
    shutil.copytree(SAMPLES / "weak", src)
    out = tmp_path / "out"
    _grade(src, out, mock_pack)
    assert main(["review", str(out), "--line", "prog.readability", "--level", "3", "--reason", "r",
                 "--assessor", "B"]) == 0
    (src / "src" / "model.py").write_text((src / "src" / "model.py").read_text() + "\n# changed\n")
    final = _grade(src, out, mock_pack)["final"]
    assert final["audit"] == [] and len(final["stale_overrides"]) == 1


def test_bad_overrides_are_refused_with_reasons(tmp_path, mock_pack, capsys):
    out = tmp_path / "out"
    _grade(SAMPLES / "weak", out, mock_pack)
    assert main(["review", str(out), "--line", "prog.nonsense", "--level", "1", "--reason", "x",
                 "--assessor", "y"]) == 2
    assert "not a line of the rubric" in capsys.readouterr().err
    assert main(["review", str(out), "--line", "prog.readability", "--level", "1", "--reason", " ",
                 "--assessor", "y"]) == 2
    assert main(["finalize", str(tmp_path / "nowhere")]) == 2
    (out / "overrides.json").write_text("{broken")
    assert main(["finalize", str(out)]) == 2
    assert "overrides.json: not valid JSON" in capsys.readouterr().err
