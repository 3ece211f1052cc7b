"""Grades the hostile samples and judges, from the host, whether each attack was contained.

Shared by tests/integration/test_hostile.py (Docker, asserted) and bench/hostile_suite.py (every backend,
printed as a table). The host plants bait the attacks look for: a loopback listener on
127.0.0.1:47615, a world-readable secret file in /tmp, a secret in the grader's environment.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import threading
import time
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.grade import Grading, grade
from grader.packs import Pack
from grader.run.dynamic import DynamicOptions
from sandbox.base import Limits

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_submissions"
LISTEN_PORT = 47615
HOST_MARKERS = ("/tmp/aie-escape-marker", "/tmp/aie-zip-slip-marker", "/dev/shm/aie-escape-marker",
                "/tmp/aie-static-marker")
HEARTBEAT = Path("/tmp/aie-daemon-heartbeat")
HOSTILE = sorted(p.name for p in SAMPLES.iterdir() if p.name.startswith("hostile_"))
# the submitted run (traced) and the assisted re-run are what the attacks target; the probes would run each
# attack four more times under the same containment (bench/hostile_suite.py can, with every check on)
HOSTILE_OPTIONS = DynamicOptions(probes=False)
HOSTILE_LIMITS = Limits(timeout_s=30, memory_mb=2048, pids=256)  # tmpfs fills count as memory


@dataclass
class Host:
    """Bait and snapshots on the host side of the sandbox."""

    secret: str
    secret_file: Path
    received: list[bytes] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    attack: str
    backend: str
    status: str
    contained: bool
    observed: str
    seconds: float


def tree_digest(path: Path) -> str:
    digest = hashlib.sha256()
    items = sorted(path.rglob("*")) if path.is_dir() else [path]
    for item in items:
        if item.is_file() and not item.is_symlink():
            digest.update(str(item.relative_to(path.parent)).encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()


def _listen(host: Host, stop: threading.Event) -> None:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", LISTEN_PORT))
    tcp.listen(8)
    tcp.settimeout(0.2)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", LISTEN_PORT))
    udp.settimeout(0.05)
    with tcp, udp:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = tcp.accept()
                with conn:
                    conn.settimeout(1)
                    host.received.append(b"tcp:" + conn.recv(4096))
            with contextlib.suppress(TimeoutError, OSError):
                data, _ = udp.recvfrom(4096)
                host.received.append(b"udp:" + data)


@contextlib.contextmanager
def host_bait(pack: Pack) -> Iterator[Host]:
    """Plant the bait, snapshot what must not change, and clean up afterwards."""
    secret = f"AIE-HOST-SECRET-{uuid.uuid4().hex}"
    secret_file = Path("/tmp/aie-host-secret.txt")
    secret_file.write_text(secret + "\n")
    secret_file.chmod(0o644)
    host = Host(secret=secret, secret_file=secret_file)
    host.digests = {"samples": tree_digest(SAMPLES), "pack": tree_digest(pack.root)}
    stop = threading.Event()
    listener = threading.Thread(target=_listen, args=(host, stop), daemon=True)
    listener.start()
    old_env = os.environ.get("AIE_TEST_SECRET")
    os.environ["AIE_TEST_SECRET"] = secret
    try:
        yield host
    finally:
        stop.set()
        listener.join(timeout=5)
        secret_file.unlink(missing_ok=True)
        if old_env is None:
            os.environ.pop("AIE_TEST_SECRET", None)
        else:
            os.environ["AIE_TEST_SECRET"] = old_env
        for marker in (*HOST_MARKERS, str(HEARTBEAT)):
            Path(marker).unlink(missing_ok=True)


def hostile_pack(pack: Pack) -> Pack:
    return replace(pack, limits=HOSTILE_LIMITS)


def attack_result(grading: Grading) -> dict | None:
    """The last ATTACK-RESULT line the attack printed, if any."""
    if not grading.runs:
        return None
    found = None
    for line in grading.runs[0].stdout.splitlines():
        if line.startswith("ATTACK-RESULT "):
            with contextlib.suppress(json.JSONDecodeError):
                found = json.loads(line.removeprefix("ATTACK-RESULT "))
    return found


def _processes_with(needle: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if needle in (entry / "cmdline").read_bytes() or needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
    return found


def host_breaches(host: Host, pack: Pack) -> list[str]:
    """What an attack changed or left on the host, whatever the attack was."""
    breaches = []
    for marker in HOST_MARKERS:
        if Path(marker).exists():
            breaches.append(f"{marker} written on the host")
    if _processes_with(b"aie-daemon-marker") or _processes_with(b"AIE_SLEEPER=aie-sleeper"):
        breaches.append("a process of the run outlived it")
    if HEARTBEAT.exists():
        size = HEARTBEAT.stat().st_size
        time.sleep(2.5)
        if HEARTBEAT.stat().st_size > size:
            breaches.append(f"{HEARTBEAT} still growing on the host")
    if any(b"EXFIL" in r or host.secret.encode() in r for r in host.received) or host.received:
        breaches.append(f"the host listener received {len(host.received)} message(s)")
    if tree_digest(SAMPLES) != host.digests["samples"]:
        breaches.append("sample_submissions/ changed")
    if tree_digest(pack.root) != host.digests["pack"]:
        breaches.append("the pack (data or labels) changed")
    return breaches


def judge(name: str, grading: Grading, host: Host, pack: Pack) -> tuple[bool, str]:
    """(contained, what was observed) for one hostile sample."""
    breaches = host_breaches(host, pack)
    if grading.error:
        return not breaches, f"not graded: {grading.error}" + (f"; BREACH: {breaches}" if breaches else "")
    run = grading.runs[0]
    result = attack_result(grading) or {}
    details = result.get("details", {})
    text = json.dumps(details)
    if host.secret in text or host.secret in run.stdout + run.stderr:
        breaches.append("the host secret reached the run's output")
    if result.get("succeeded"):
        what = details.get("breaches") or details.get("marker_found") or text[:200]
        breaches.append(f"the attack reports success: {json.dumps(what)[:300]}")
    held = next((e for e in grading.evidence if e.code == "HLD001"), None)
    if held is not None and held.metrics.get("f1") == 1.0:
        breaches.append("perfect held-out F1: the labels leaked")
    breaches += output_breaches(grading) + trace_breaches(name, grading)
    observed = f"{run.status} (exit {run.exit_code}, {run.duration_s:.0f} s)"
    if run.output_truncated:
        observed += f", log truncated at {len(run.stdout) + len(run.stderr)} of {run.stdout_bytes + run.stderr_bytes} B"
    if run.oom_killed:
        observed += ", OOM-killed"
    if breaches:
        observed += "; BREACH: " + "; ".join(breaches)
    return not breaches, observed


def output_breaches(grading: Grading) -> list[str]:
    """A run's host copy of output/ larger than its cap (by apparent size): the copy-out cap was bypassed."""
    found = []
    for run in grading.runs:
        if run.output_dir is None or not run.output_dir.is_dir():
            continue
        size = sum(p.lstat().st_size for p in run.output_dir.rglob("*") if p.is_file())
        if size > run.limits.output_copy_mb * 1024 * 1024:
            found.append(f"{run.label}: {size} B of output copied to the host, over its {run.limits.output_copy_mb} MB "
                         "copy cap")
    return found


TRACE_LINES = ("prep.preprocessing", "prep.split", "model.training", "model.tuning", "prep.feature_engineering")


def trace_breaches(name: str, grading: Grading) -> list[str]:
    """For the trace attacks: the leak must stay in the evidence, or the trace be flagged unverified and no
    line that reads it reach 3."""
    if not name.startswith("hostile_trace_") or grading.score is None:
        return []
    flow = next((e for e in grading.evidence if e.code == "DYN001"), None)
    unverified = flow is not None and flow.metrics.get("trace_verified") is False
    kept = flow is not None and (flow.metrics.get("leak_fits") or 0) >= 1
    if not (kept or unverified):
        return ["the traced leak vanished from the evidence and the trace is not flagged unverified"]
    levels = {line.id: line.level for line in grading.score.lines}
    high = [line for line in TRACE_LINES if levels.get(line) == 3]
    return [f"{', '.join(high)} at level 3 on a leaky run"] if high else []


def attack_spec(name: str) -> dict:
    """The fixture's ATTACK.toml (empty for the archives)."""
    toml = SAMPLES / name / "ATTACK.toml"
    return tomllib.loads(toml.read_text()) if toml.is_file() else {}


@contextlib.contextmanager
def prepared(name: str) -> Iterator[Path]:
    """The fixture as graded: a copy with its `prepare` command run (e.g. gcc building a native file)."""
    command = attack_spec(name).get("prepare")
    if not command:
        yield SAMPLES / name
        return
    include = sysconfig.get_paths()["include"]
    with tempfile.TemporaryDirectory(prefix="aie-hostile-") as tmp:
        copy = Path(tmp) / name
        shutil.copytree(SAMPLES / name, copy)
        subprocess.run([part.replace("{python_include}", include) for part in command], cwd=copy, check=True,
                       capture_output=True)
        yield copy


def run_hostile(name: str, sandbox, pack: Pack, host: Host) -> tuple[Outcome, Grading]:
    started = time.monotonic()
    with prepared(name) as source, tempfile.TemporaryDirectory(prefix="aie-hostile-keep-") as keep:
        # the run outputs are kept while judging: what the host copied out is part of the verdict
        grading = grade(source, hostile_pack(pack), sandbox, keep_dir=Path(keep), options=HOSTILE_OPTIONS)
        contained, observed = judge(name, grading, host, pack)
    for marker in (*HOST_MARKERS, str(HEARTBEAT)):  # a breach is charged to the sample that made it
        Path(marker).unlink(missing_ok=True)
    status = grading.runs[0].status if grading.runs else ("not_graded" if grading.error else "not_run")
    outcome = Outcome(name.removeprefix("hostile_"), sandbox.name, status, contained, observed,
                      round(time.monotonic() - started, 1))
    return outcome, grading
