"""The local runner: limits, scrubbed environment, no leftovers; and its report says it is no boundary."""

from __future__ import annotations

import os

import pytest

from grader.grade import grade
from sandbox.base import Limits, RunSpec
from sandbox.local_backend import NOT_A_BOUNDARY, LocalSandbox, _network_prefix
from tests.hostile_harness import SAMPLES, host_bait, run_hostile


@pytest.fixture(scope="module")
def local():
    sandbox = LocalSandbox()
    if sandbox.python_dir(os.geteuid() == 0) is None:
        pytest.fail("no Python for the local runner's uid: scripts/setup.sh builds it (python -m sandbox.local_env)")
    return sandbox


def _run(tmp_path, local, mock_pack, script: str, **limits):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "run.sh").write_text(script)
    spec = RunSpec(sub, mock_pack.stage_data(tmp_path / "data"), limits=Limits(**limits))
    return local.run(spec, tmp_path / "art")


def test_weak_sample_runs_and_scores_like_in_docker(local, mock_pack):
    grading = grade(SAMPLES / "weak", mock_pack, local)
    run = grading.runs[0]
    assert run.status == "completed", run.stderr
    assert not run.security_boundary and NOT_A_BOUNDARY in run.notes
    f1 = {e.code: e.metrics for e in grading.evidence}["HLD001"]["f1"]
    assert f1 == pytest.approx(0.3543, abs=1e-4)


def test_environment_is_scrubbed_and_data_a_writable_copy(tmp_path, local, mock_pack, monkeypatch):
    monkeypatch.setenv("AIE_TEST_SECRET", "do-not-leak")
    sub = tmp_path / "sub"
    (sub / "data").mkdir(parents=True)
    (sub / "data" / "notes.csv").write_text("a,b\n")
    (sub / "data" / "mine.db").write_text("a committed database: left out")
    (sub / "run.sh").write_text("env; mkdir -p data/processed && echo x >> data/deliveries.db && echo DATA-WRITABLE; "
                                "ls data; echo ok > output/o.txt\n")
    data = mock_pack.stage_data(tmp_path / "data")
    before = (data / "deliveries.db").read_bytes()
    result = local.run(RunSpec(sub, data, limits=Limits(timeout_s=30)), tmp_path / "art")
    assert result.status == "completed", result.stderr
    assert "do-not-leak" not in result.stdout and "AIE_TEST_SECRET" not in result.stdout
    assert "DATA-WRITABLE" in result.stdout
    listed = result.stdout.split("DATA-WRITABLE", 1)[1].split()
    assert listed == ["deliveries.db", "holdout.db", "notes.csv", "processed"]
    assert (data / "deliveries.db").read_bytes() == before  # the staged pack file is untouched
    assert result.output_files == ["o.txt"]


def test_timeout_kills_a_process_that_ignores_sigterm(tmp_path, local, mock_pack):
    script = "trap '' TERM INT HUP; echo started; while true; do sleep 1; done\n"
    result = _run(tmp_path, local, mock_pack, script, timeout_s=3)
    assert result.status == "timeout" and result.timed_out
    assert result.duration_s < 30 and "started" in result.stdout


def test_memory_limit_stops_a_memory_bomb(tmp_path, local, mock_pack):
    result = _run(tmp_path, local, mock_pack, "python -c \"x = bytearray(900 * 1024 * 1024)\"\n",
                  timeout_s=60, memory_mb=256)
    assert result.status == "oom"
    assert "MemoryError" in result.stderr


def test_network_and_background_attacks_on_the_local_runner(local, mock_pack):
    if not _network_prefix(os.geteuid() == 0):
        pytest.skip("NO NETWORK NAMESPACE on this machine: the local runner cannot isolate the network here")
    with host_bait(mock_pack) as host:
        for name in ("hostile_network", "hostile_background"):
            outcome, _ = run_hostile(name, local, mock_pack, host)
            assert outcome.contained, outcome.observed


@pytest.mark.parametrize("name", ["hostile_static_extension", "hostile_sparse_output", "hostile_trace_erase",
                                  "hostile_trace_untraced"])
def test_grading_side_attacks_are_contained_locally_too(name, local, mock_pack):
    """Items 1-3 of issue 13 with the local runner: no native code on the host, the output cap holds, the trace
    cannot be erased and a Python process that escapes it makes the evidence unverified."""
    with host_bait(mock_pack) as host:
        outcome, grading = run_hostile(name, local, mock_pack, host)
    assert outcome.contained, outcome.observed
    flow = {e.code: e for e in grading.evidence}["DYN001"]
    if name == "hostile_trace_erase":
        assert flow.metrics["leak_fits"] >= 1 and flow.metrics["trace_verified"] is True
    if name == "hostile_trace_untraced":
        assert flow.metrics["trace_verified"] is False
        assert any("ran untraced" in f for f in flow.findings)
    if name == "hostile_static_extension":
        assert any("compiled file" in f for f in grading.workspace.findings)
        assert {e.code: e for e in grading.evidence}["PRG001"].status == "ok"
