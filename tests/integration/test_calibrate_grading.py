"""`grader calibrate` grading a small rated folder statically, then re-scoring the stored reports."""

from __future__ import annotations

import shutil

from grader.cli import main
from tests.conftest import SAMPLES


def test_calibrate_prints_per_line_agreement_kappa_bias_and_bands(tmp_path, mock_pack, capsys):
    shutil.copytree(SAMPLES / "weak", tmp_path / "weak")
    out = tmp_path.parent / (tmp_path.name + "-reports")
    assert main(["calibrate", str(tmp_path), "--pack", str(mock_pack.root), "--backend", "none",
                 "--out", str(out), "--disagreements", "3"]) == 0
    text = capsys.readouterr().out
    assert "prog.readability" in text and "pipeline.environment" in text
    assert "QWK" in text and "bias" in text and "Spearman of totals" in text
    assert "accuracy by the grader's confidence" in text and "disagreements" in text
    assert (out / "mock" / "submissions" / "weak" / "report.json").is_file()
    # re-scoring the stored report with --no-grade gives the same table without grading
    assert main(["calibrate", str(tmp_path), "--no-grade", "--out", str(out)]) == 0
    assert "prog.readability" in capsys.readouterr().out

