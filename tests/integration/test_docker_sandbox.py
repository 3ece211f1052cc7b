"""The Docker sandbox enforces SPEC §6 on a real engine: measured from inside the container."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from sandbox.base import STATUS_COMPLETED, STATUS_OOM, STATUS_TIMEOUT, Limits, RunSpec
from sandbox.docker_backend import RUN_LABEL

pytestmark = pytest.mark.docker

PROBE = textwrap.dedent('''
    import json, os, socket, pathlib
    found = {}
    found["uid"] = os.getuid()
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=3)
        found["network"] = "open"
    except OSError as exc:
        found["network"] = f"blocked: {exc}"
    for name, path in (("root_fs", "/opt/pwned"), ("data", "data/pwned"), ("submission", "/submission/pwned"),
                       ("pack_data", "/opt/aie-data/pwned"), ("data_db", "data/deliveries.db")):
        try:
            with open(path, "a") as fh:
                fh.write("x")
            found[name] = "writable"
        except OSError as exc:
            found[name] = f"denied: {exc.strerror}"
    found["labels_seen"] = [str(p) for p in pathlib.Path("/").rglob("labels.csv")
                            if not str(p).startswith("/proc")]
    found["data_files"] = sorted(os.listdir("data"))
    found["cwd_files"] = sorted(os.listdir("."))
    os.makedirs("output", exist_ok=True)
    pathlib.Path("output/probe.json").write_text(json.dumps(found))
    print("probe done")
''')


def _submission(tmp_path, script: str, name="sub"):
    sub = tmp_path / name
    sub.mkdir()
    (sub / "run.sh").write_text(script)
    return sub


def test_containment_rules_hold(tmp_path, docker_sandbox, mock_pack):
    sub = _submission(tmp_path, "python probe.py\n")
    (sub / "probe.py").write_text(PROBE)
    (sub / "data").mkdir()
    (sub / "data" / "notes.csv").write_text("a,b\n1,2\n")  # the candidate's own data files come along
    (sub / "data" / "deliveries.db").write_text("a committed copy: replaced by the round's file")
    (sub / "data" / "old.sqlite").write_text("a committed database: left out")
    data = mock_pack.stage_data(tmp_path / "data")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = docker_sandbox.run(RunSpec(sub, data, limits=Limits(timeout_s=120)), tmp_path / "art")
    assert result.status == STATUS_COMPLETED, result.stderr
    probe = json.loads((result.output_dir / "probe.json").read_text())
    assert probe["uid"] != 0
    assert probe["network"].startswith("blocked")
    assert probe["root_fs"].startswith("denied") and probe["pack_data"].startswith("denied")
    assert probe["data"] == "writable" and probe["data_db"] == "writable"  # data/ is the run's own copy
    assert probe["submission"].startswith("denied")
    assert probe["labels_seen"] == []
    assert probe["data_files"] == ["deliveries.db", "holdout.db", "notes.csv", "pwned"]
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before  # the pack's files are untouched
    assert (sub / "data" / "deliveries.db").read_text().startswith("a committed copy")
    assert "probe.py" in probe["cwd_files"]
    assert not (sub / "pwned").exists() and not (sub / "output").exists()
    assert "probe done" in result.stdout
    assert result.peak_memory_bytes is None or result.peak_memory_bytes > 0


def test_timeout_kills_and_removes_the_container(tmp_path, docker_sandbox, mock_pack):
    sub = _submission(tmp_path, "echo started; sleep 300\n")
    data = mock_pack.stage_data(tmp_path / "data")
    result = docker_sandbox.run(RunSpec(sub, data, limits=Limits(timeout_s=3)), tmp_path / "art")
    assert result.status == STATUS_TIMEOUT and result.timed_out
    assert result.duration_s < 60
    assert "started" in result.stdout
    leftovers = docker_sandbox._docker().containers.list(all=True, filters={"label": RUN_LABEL})
    assert leftovers == []


def test_log_bomb_is_truncated_not_fatal(tmp_path, docker_sandbox, mock_pack):
    sub = _submission(tmp_path, "head -c 20000000 /dev/zero | tr '\\0' 'x'; echo; echo THE-END\n")
    data = mock_pack.stage_data(tmp_path / "data")
    limits = Limits(timeout_s=60, log_bytes=64 * 1024)
    result = docker_sandbox.run(RunSpec(sub, data, limits=limits), tmp_path / "art")
    assert result.status == STATUS_COMPLETED
    assert result.output_truncated
    # bytes the grader received: a lower bound, since the engine's own log file is rotated at 8 MB
    assert result.stdout_bytes >= 8_000_000
    assert len(result.stdout) < 100_000
    assert result.stdout.rstrip().endswith("THE-END")


def test_memory_limit_kills(tmp_path, docker_sandbox, mock_pack):
    sub = _submission(tmp_path, "python -c \"x = bytearray(800 * 1024 * 1024); print(len(x))\"\n")
    data = mock_pack.stage_data(tmp_path / "data")
    result = docker_sandbox.run(RunSpec(sub, data, limits=Limits(timeout_s=60, memory_mb=256)), tmp_path / "art")
    assert result.status == STATUS_OOM and result.oom_killed
    assert result.exit_code == 137


def test_leftovers_of_a_killed_grader_are_removed_but_live_runs_kept(docker_sandbox):
    from sandbox.docker_backend import DEADLINE_LABEL

    client = docker_sandbox._docker()
    image = docker_sandbox.image()
    abandoned = client.containers.create(image, command=["true"], labels={RUN_LABEL: "old", DEADLINE_LABEL: "1"})
    live = client.containers.run(image, command=["sleep", "60"], detach=True, network_mode="none",
                                 labels={RUN_LABEL: "live", DEADLINE_LABEL: str(2**40)})
    # another batch worker's run between create and start, and one that exited and is still being read
    starting = client.containers.create(image, command=["true"], labels={RUN_LABEL: "new", DEADLINE_LABEL: str(2**40)})
    finished = client.containers.run(image, command=["true"], detach=True, network_mode="none",
                                     labels={RUN_LABEL: "done", DEADLINE_LABEL: str(2**40)})
    finished.wait(timeout=60)
    try:
        assert docker_sandbox.remove_leftovers() >= 1
        remaining = {c.id for c in client.containers.list(all=True, filters={"label": RUN_LABEL})}
        assert abandoned.id not in remaining
        assert {live.id, starting.id, finished.id} <= remaining
    finally:
        for container in (live, starting, finished):
            container.remove(force=True)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_grader_removes_its_container(tmp_path, docker_sandbox, mock_pack, signum):
    sub = _submission(tmp_path, "echo started; sleep 600\n")
    client = docker_sandbox._docker()
    # a container an earlier test is still removing is not this grader's run: wait for a new one
    before = {c.id for c in client.containers.list(all=True, filters={"label": RUN_LABEL})}
    proc = subprocess.Popen([sys.executable, "-m", "grader.cli", "check", str(sub), "--pack", str(mock_pack.root),
                             "--backend", "docker", "--out", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def own_runs() -> list:
        return [c for c in client.containers.list(filters={"label": RUN_LABEL}) if c.id not in before]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not own_runs():
        time.sleep(0.5)
    assert own_runs(), "the run never started"
    proc.send_signal(signum)
    assert proc.wait(timeout=90) == 130
    assert [c for c in client.containers.list(all=True, filters={"label": RUN_LABEL}) if c.id not in before] == []
