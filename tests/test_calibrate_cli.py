"""`grader calibrate` on a small folder of samples, statically (no Docker needed)."""

from __future__ import annotations

import shutil

import pytest

from grader.calibrate import ExpectedError, load_expected
from grader.cli import main
from tests.conftest import SAMPLES


def test_calibrate_prints_per_line_and_section_agreement(tmp_path, mock_pack, capsys):
    shutil.copytree(SAMPLES / "weak", tmp_path / "weak")
    assert main(["calibrate", str(tmp_path), "--pack", str(mock_pack.root), "--backend", "none"]) == 0
    out = capsys.readouterr().out
    assert "prog.readability" in out and "pipeline.environment" in out
    assert "1 Programming proficiency" in out and "all" in out


def test_bad_expected_file_is_named(tmp_path):
    (tmp_path / "EXPECTED.toml").write_text('[levels]\n"prog.readability" = 7\n')
    with pytest.raises(ExpectedError, match="EXPECTED.toml: levels must be 0-3"):
        load_expected(tmp_path)


def test_folder_without_expected_files_is_an_error(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    assert main(["calibrate", str(tmp_path), "--backend", "none"]) == 2
    assert "no sample has an EXPECTED.toml" in capsys.readouterr().out
