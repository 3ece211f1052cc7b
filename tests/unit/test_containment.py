"""Containment of what comes back from a sandbox (issue 13, items 1-3), without Docker.

Copy-out caps by apparent size, the append-only trace channel and its untraced-process sampler, the
validation of the static phase's JSON, and compiled files as intake findings.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checks.base import ERROR, OK
from checks.context import CheckContext
from checks.dataflow import DataFlow
from checks.static_phase import (
    STATIC_CHECKS,
    InvalidResult,
    context_from_json,
    context_to_json,
    evidence_from_json,
    evidence_to_json,
    run_static_checks,
)
from grader.intake.workspace import take_in
from grader.run.static_phase import copy_for_static, failed_static_evidence
from sandbox.base import RunResult
from sandbox.files import copy_outputs
from sandbox.trace import ProcessSampler, TraceCollector, untraced_processes

SAMPLES = Path(__file__).resolve().parents[2] / "sample_submissions"
MB = 1024 * 1024


def test_sparse_files_and_fifos_are_refused_by_apparent_size(tmp_path):
    src = tmp_path / "out"
    src.mkdir()
    (src / "predictions.csv").write_text("id,late\n1,0\n")
    for name in ("a.bin", "b.bin"):
        with (src / name).open("wb") as fh:
            fh.truncate(1024 * MB)  # 1 GiB apparent, a few blocks on disk
    os.mkfifo(src / "pipe")
    copied = copy_outputs(src, tmp_path / "dest", cap_bytes=64 * MB)
    assert copied.files == ["predictions.csv"]
    on_host = sum(p.stat().st_size for p in (tmp_path / "dest").rglob("*") if p.is_file())
    assert on_host == copied.bytes_copied < 64 * MB
    assert sum("sparse file of 1073741824 bytes" in f for f in copied.findings) == 2
    assert any("output/pipe" in f and "FIFO" in f for f in copied.findings)


def test_the_cap_is_shared_by_all_files(tmp_path):
    src = tmp_path / "out"
    src.mkdir()
    for index in range(3):
        (src / f"f{index}.bin").write_bytes(b"x" * (3 * MB))
    copied = copy_outputs(src, tmp_path / "dest", cap_bytes=7 * MB)
    assert len(copied.files) == 2 and copied.bytes_copied == 6 * MB
    assert len(copied.findings) == 1 and "f2.bin" in copied.findings[0]


def _send(path: Path, *lines: bytes) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(path))
        for line in lines:
            client.sendall(line)


def test_trace_channel_is_append_only_and_names_its_peers(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    collector = TraceCollector(run_dir)
    _send(collector.socket_path, b'{"ev": "start", "t": 1}\n', b'{"ev": "fit", "role": "model", "t": 2}\n')
    # a later process of the run tries to wipe the record: it has no file to rewrite, only a socket to add to
    assert [p.name for p in run_dir.iterdir() if p.is_file() and not p.is_socket()] == []
    _send(collector.socket_path, b"not json\n", b'{"no": "event"}\n', b'{"ev": "exit", "t": 3}\n')
    record = collector.close()
    assert [e["ev"] for e in record.events] == ["start", "fit", "exit"]
    assert record.peers == {os.getpid()}  # the kernel's word on who connected (SO_PEERCRED)
    assert all(e["peer"] == os.getpid() for e in record.events)
    assert any("malformed" in p for p in record.problems)
    assert any("not an event" in p for p in record.problems)


def test_a_python_process_that_never_reports_is_untraced(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    collector = TraceCollector(run_dir)
    quiet = subprocess.Popen([sys.executable, "-S", "-c", "import time; time.sleep(3)"])
    reporting = subprocess.Popen([sys.executable, "-c", (
        "import socket, sys, time; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
        "s.sendall(b'{\"ev\": \"start\"}\\n'); time.sleep(3)"), str(collector.socket_path)])
    sampler = ProcessSampler(lambda: [quiet.pid, reporting.pid]).start()
    time.sleep(1.5)
    python = sampler.stop()
    for proc in (quiet, reporting):
        proc.kill()
        proc.wait()
    record = collector.close()
    untraced = untraced_processes(python, record)
    assert len(untraced) == 1 and untraced[0].startswith(f"pid {quiet.pid}:") and "-S" in untraced[0]
    assert reporting.pid in record.peers


def _traced_run(events: list[dict], untraced: list[str] = (), problems: list[str] = ()) -> RunResult:
    return RunResult(backend="test", label="pipeline", command=("bash", "run.sh"), status="completed",
                     exit_code=0, duration_s=1.0, trace=events, trace_untraced=list(untraced),
                     trace_problems=list(problems))


def _flow(run: RunResult):
    ctx = CheckContext(root=Path("."), python_files=[], notebooks=[], readme=None, run_script="run.sh",
                       requirement_files=[], run=run, dataset_file="data/deliveries.db")
    return DataFlow()(ctx)


def test_untraced_python_makes_the_data_flow_unverified_not_absent():
    started = [{"ev": "start", "pid": 7, "argv": ["python", "src/main.py"]}]
    clean = _flow(_traced_run(started))
    assert clean.status == OK and clean.metrics["trace_verified"] is True
    escaped = _flow(_traced_run(started, untraced=["pid 99: python3 -S -c ..."]))
    assert escaped.status == OK and escaped.metrics["trace_verified"] is False
    assert any("ran untraced" in f for f in escaped.findings)
    nothing_reported = _flow(_traced_run([], untraced=["pid 12: python src/main.py"]))
    assert nothing_reported.status == OK and nothing_reported.metrics["trace_verified"] is False
    damaged = _flow(_traced_run(started, problems=["a malformed trace line was skipped"]))
    assert damaged.metrics["trace_verified"] is False


def test_an_unverified_trace_caps_the_lines_that_read_it():
    from grader.rubric import load_rubric

    capped = {line.id: cap.max_level for line in load_rubric().lines for cap in line.caps
              if "traced evidence is unverified" in cap.reason}
    assert capped == dict.fromkeys(("prep.preprocessing", "prep.feature_engineering", "prep.split", "model.training",
                                    "model.tuning"), 2)


def _ctx(root: Path) -> CheckContext:
    ws = take_in(root, root.parent / "ws")
    return CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
                        run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
                        settings={"min_models": 2, "reference": {"f1": 0.6}})


def test_static_evidence_round_trips_through_json(tmp_path):
    shutil.copytree(SAMPLES / "weak", tmp_path / "weak")
    ctx = _ctx(tmp_path / "weak")
    rebuilt = context_from_json(ctx.root, context_to_json(ctx))
    assert rebuilt.python_files == ctx.python_files and rebuilt.settings == ctx.settings
    evidence = run_static_checks(rebuilt)
    back = evidence_from_json(evidence_to_json(evidence).encode())
    assert [e.code for e in back] == [c.code for c in STATIC_CHECKS]
    assert [(e.status, e.metrics) for e in back] == [(e.status, e.metrics) for e in evidence]


@pytest.mark.parametrize("tamper, message", [
    (lambda items: items[1:], "no evidence for"),
    (lambda items: items + items[:1], "duplicate"),
    (lambda items: [{**items[0], "code": "HLD001"}] + items[1:], "unknown"),
    (lambda items: [{**items[0], "metrics": {"score": [1, 2]}}] + items[1:], "metrics"),
    (lambda items: [{**items[0], "status": "great"}] + items[1:], "bad status"),
    (lambda items: [{**items[0], "confidence": 7}] + items[1:], "confidence"),
    (lambda items: [{**items[0], "locations": [["../../etc/passwd", 1, "x"]]}] + items[1:], "outside"),
    (lambda items: [{**items[0], "findings": ["x"] * 5000}] + items[1:], "longer than"),
])
def test_a_forged_static_result_is_refused(tamper, message):
    items = json.loads(evidence_to_json(failed_static_evidence("test")))
    with pytest.raises(InvalidResult, match=message):
        evidence_from_json(json.dumps(tamper(items)).encode())


def test_names_and_lines_come_from_the_host_catalogue():
    items = json.loads(evidence_to_json(failed_static_evidence("test")))
    items[0]["name"], items[0]["lines"] = "forged", ["model.training"]
    first = evidence_from_json(json.dumps(items).encode())[0]
    assert first.name == STATIC_CHECKS[0].name and first.lines == STATIC_CHECKS[0].lines


def test_a_failed_static_phase_is_not_assessed_never_zero():
    evidence = failed_static_evidence("it did not finish within 600 s")
    assert {e.status for e in evidence} == {ERROR}
    assert all("grader-side failure" in e.findings[0] for e in evidence)


def test_only_text_files_go_to_the_static_sandbox(tmp_path):
    root = tmp_path / "sub"
    (root / "src").mkdir(parents=True)
    (root / "src" / "main.py").write_text("print(1)\n")
    (root / "src" / "cmath.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF" + b"\0" * 64)
    (root / "README.md").write_text("# r\n")
    (root / "model.pkl").write_bytes(b"\x80\x04")
    (root / "data").mkdir()
    (root / "data" / "notes.txt").write_text("x")
    dest = tmp_path / "copy"
    dest.mkdir()
    copy_for_static(root, ["src/main.py", "src/cmath.cpython-311-x86_64-linux-gnu.so", "README.md", "model.pkl",
                           "data/notes.txt"], dest)
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == ["README.md", "src/main.py"]


def test_compiled_files_are_an_intake_finding(tmp_path):
    root = tmp_path / "sub"
    shutil.copytree(SAMPLES / "weak", root)
    (root / "src" / "cmath.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF" + b"\0" * 64)
    (root / "tool").write_bytes(b"\x7fELF" + b"\0" * 64)  # an executable with no telling name
    ws = take_in(root, tmp_path / "ws")
    assert ws.compiled_files == ["src/cmath.cpython-311-x86_64-linux-gnu.so", "tool"]
    assert any("2 compiled file(s)" in f and "never loaded by the grader" in f for f in ws.findings)
