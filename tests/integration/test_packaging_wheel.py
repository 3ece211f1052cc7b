"""The built wheel carries everything `grader check` needs, and `--format json` of a real static grading prints the
report alone on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from grader.cli import main
from sandbox.image import IMAGE_INPUTS
from tests.conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                           str(out), str(ROOT)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return zipfile.ZipFile(next(out.glob("aie_grader-*.whl")))


def test_the_wheel_carries_everything_grader_check_needs(wheel):
    names = set(wheel.namelist())
    for name in IMAGE_INPUTS:  # the runner image builds from the installed package
        assert f"sandbox/{name}" in names, name
    for needed in ("sandbox/tools/aie_static.py", "sandbox/tools/aie_nbrun.py", "grader/rubric/annex_a1.toml",
                   "grader/reports/templates/report.html.j2", "grader/packs/mock/paper.md", "grader/__main__.py",
                   "grader/reports/schema/report.schema.json", "checks/pylintrc", "checks/catalogue.py"):
        assert needed in names, needed
    metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Requires-Dist: matplotlib" in metadata
    assert 'dask[distributed]' in metadata and 'extra == "cluster"' in metadata  # an extra, not a dependency


def test_format_json_prints_the_report_alone_on_stdout(tmp_path, mock_pack, capsys):
    code = main(["check", str(SAMPLES / "weak"), "--pack", str(mock_pack.root), "--backend", "none",
                 "--out", str(tmp_path / "o"), "--format", "json", "-q"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report == json.loads((tmp_path / "o" / "report.json").read_text())

