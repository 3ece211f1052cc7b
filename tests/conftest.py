"""Shared fixtures: the mock pack (generated once per session), sample paths, the Docker sandbox."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.packs import Pack, build_mock_pack, load_pack

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_submissions"


@pytest.fixture(scope="session")
def mock_pack(tmp_path_factory) -> Pack:
    return load_pack(build_mock_pack(tmp_path_factory.mktemp("mockpack")))


@pytest.fixture(scope="session")
def docker_sandbox():
    """The Docker backend; skipped loudly where no engine can run, a failure in CI."""
    if os.environ.get("AIE_GRADER_SKIP_DOCKER") == "1":
        pytest.skip("NO DOCKER ENGINE on this machine (scripts/test.sh said so): Docker test skipped")
    from sandbox.docker_backend import DockerSandbox

    sandbox = DockerSandbox()
    problem = sandbox.available()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Docker tests, but: {problem}")
        pytest.skip(f"NO DOCKER ENGINE: {problem}")
    sandbox.image()
    return sandbox


@pytest.fixture(scope="session")
def sample_report_dirs(tmp_path_factory, docker_sandbox, mock_pack) -> dict[str, Path]:
    """Every sample with an EXPECTED.toml, graded once in Docker as the main job grades them (a batch, two at a
    time, no cohort similarity so each report is what `grader check` writes): name -> output folder."""
    from grader.calibrate.corpus import load_samples
    from grader.cli import main

    out = tmp_path_factory.mktemp("reports")
    rated = sorted(load_samples(SAMPLES).submissions)
    others = sorted(p.name for p in SAMPLES.iterdir() if p.name not in rated)
    # every dynamic check runs, except installing the candidates' requirements
    # (tests/integration/test_requirements_layer.py covers it; cold wheel downloads add minutes to every CI run)
    code = main(["batch", str(SAMPLES), "--pack", str(mock_pack.root), "--backend", "docker", "--out", str(out),
                 "--jobs", "2", "--no-similarity", "--no-install-requirements",
                 *[arg for name in others for arg in ("--exclude", name)]])
    assert code == 0
    folders = {name: out / "submissions" / name for name in rated}
    assert all((folder / "report.json").is_file() for folder in folders.values()), sorted(folders)
    return folders


@pytest.fixture(scope="session")
def sample_reports(sample_report_dirs) -> dict[str, dict]:
    """name -> report.json of every graded sample."""
    import json

    return {name: json.loads((folder / "report.json").read_text()) for name, folder in sample_report_dirs.items()}
