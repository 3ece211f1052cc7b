"""Every hostile sample graded in Docker: the attack fails, the host is untouched, grading completes."""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from grader.grade import grade
from sandbox.docker_backend import RUN_LABEL
from tests.hostile_harness import HOSTILE, HOSTILE_OPTIONS, SAMPLES, host_bait, hostile_pack, run_hostile

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def host(mock_pack):
    with host_bait(mock_pack) as bait:
        yield bait


def _expectation(name: str) -> str:
    toml = SAMPLES / name / "ATTACK.toml"
    if toml.exists():
        return tomllib.loads(toml.read_text())["expect"]
    return "refused" if name.endswith(".zip") else "neutralised"


@pytest.mark.parametrize("name", HOSTILE)
def test_attack_is_contained(name, docker_sandbox, mock_pack, host):
    outcome, grading = run_hostile(name, docker_sandbox, mock_pack, host)
    assert outcome.contained, outcome.observed
    expect = _expectation(name)
    if expect == "refused":
        assert grading.error and "path traversal" in grading.error
        return
    assert grading.error is None and grading.score is not None, "grading must complete"
    run = grading.runs[0]
    if expect == "contained-completed":
        assert run.status == "completed", outcome.observed
    elif expect == "timeout":
        assert run.status == "timeout" and run.duration_s < 90, outcome.observed
    elif expect == "oom-or-failed":
        assert run.status in ("oom", "failed"), outcome.observed
    elif expect == "truncated":
        assert run.status == "completed" and run.output_truncated
        assert len(run.stdout) < 2 * run.limits.log_bytes
    elif expect == "neutralised":
        assert any("link" in f for f in grading.workspace.findings)
        assert any("device or special file" in f for f in grading.workspace.findings)
    leftovers = docker_sandbox._docker().containers.list(all=True, filters={"label": RUN_LABEL})
    assert leftovers == []


def test_good_submission_beside_a_fork_bomb_is_unaffected(docker_sandbox, mock_pack, host):
    pack = hostile_pack(mock_pack)
    alone = grade(SAMPLES / "weak", pack, docker_sandbox, options=HOSTILE_OPTIONS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        bomb = pool.submit(grade, SAMPLES / "hostile_fork_bomb", pack, docker_sandbox, options=HOSTILE_OPTIONS)
        good = pool.submit(grade, SAMPLES / "weak", pack, docker_sandbox, options=HOSTILE_OPTIONS).result()
        bomb.result()
    assert good.runs[0].status == "completed"
    score = {e.code: e.metrics for e in good.evidence}["HLD001"]
    assert score["f1"] == {e.code: e.metrics for e in alone.evidence}["HLD001"]["f1"]
    assert good.score.points == alone.score.points


GRADER_TEMP_PREFIXES = ("aie-run-", "aie-out-", "aie-grade-", "aie-hostile-", "aie-pylint-")


def _grader_temp() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith(GRADER_TEMP_PREFIXES)}


@pytest.mark.parametrize("name", ["hostile_static_extension", "hostile_sparse_output", "hostile_trace_erase"])
def test_no_container_or_temp_folder_is_left(name, docker_sandbox, mock_pack, host, monkeypatch):
    # a temp root of this grading's own: other processes' temp folders (a concurrent test run) are not its leftovers
    private = Path(tempfile.mkdtemp(prefix="aie-test-tmp-"))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    outcome, _grading = run_hostile(name, docker_sandbox, mock_pack, host)
    assert outcome.contained, outcome.observed
    assert docker_sandbox._docker().containers.list(all=True, filters={"label": RUN_LABEL}) == []
    assert _grader_temp() == set()
    shutil.rmtree(private)
