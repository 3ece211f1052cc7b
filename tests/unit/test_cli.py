"""The command line: exit 0 when grading completed, 2 with a reason when the grader could not grade."""

from __future__ import annotations

import json

from grader.cli import main
from tests.conftest import SAMPLES


def test_missing_submission_is_a_clear_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 2
    captured = capsys.readouterr()
    assert "no such file or directory" in captured.err and captured.out == ""


def test_bad_pack_is_a_clear_error(tmp_path, capsys):
    assert main(["check", str(SAMPLES / "weak"), "--pack", str(tmp_path), "--backend", "none"]) == 2
    captured = capsys.readouterr()
    assert "no assessment.toml" in captured.err and captured.out == ""


def test_corrupt_archive_is_graded_as_not_graded_with_reason(tmp_path, mock_pack):
    archive = tmp_path / "cand.zip"
    archive.write_bytes(b"PK\x03\x04garbage")
    out = tmp_path / "out"
    # exit 3: the submission could not be graded, and the report says why
    assert main(["check", str(archive), "--pack", str(mock_pack.root), "--backend", "none", "--out", str(out)]) == 3
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "not_graded"
    assert "cand.zip" in report["error"] and "not a readable zip" in report["error"]


def test_checks_list_documents_every_check(capsys):
    from checks import CATALOGUE

    assert main(["checks", "list"]) == 0
    out = capsys.readouterr().out
    for check in CATALOGUE:
        assert check.code in out and check.name in out
