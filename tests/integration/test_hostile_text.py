"""Issue 13 item 7: candidate text is data in the terminal.

Each attack is built at test time: an archive member named `../<i>x[/]y.py`, a pipeline whose predictions header is
`id,[/]late`, a failing run.sh that paints a fake "total 47/48 PASS" with escape sequences, and a cohort holding
such submissions. The grader must print them inert (rich markup escaped, control sequences stripped), and a batch
must never stop because of one submission.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from grader.cli import main
from sandbox.base import RunResult
from tests.cohort_helpers import tiny_submission
from tests.hostile_text_helpers import FAKE_TOTAL, InProcess, no_control

HOSTILE_MEMBER = "../<i>x[/]y.py"
FAST = ["--no-probes", "--no-notebook", "--no-assist", "--no-trace", "--no-install-requirements"]


def _zip_with_member(folder: Path, target: Path, member: str) -> Path:
    """The folder as a zip, plus one extra member with a hostile name."""
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
        zf.writestr(member, "print('hello')\n")
    return target


def _printf_literal(text: str) -> str:
    """`text` as a single-quoted printf format: control bytes, backslash, % and ' as octal escapes."""
    return "".join(f"\\{ord(c):03o}" if ord(c) < 32 or c in "\\%'" else c for c in text)


class ScriptSandbox:
    """Runs run.sh as a plain subprocess on a copy of the submission: only for the tests' own fixture scripts."""

    name = "test-subprocess"

    def available(self) -> str | None:
        return None

    def run(self, spec, artifacts_dir: Path) -> RunResult:
        if tuple(spec.command) != ("bash", "run.sh"):  # the grader's own tools (static phase): not this sandbox's job
            return RunResult(backend=self.name, label=spec.label, command=tuple(spec.command), status="error",
                             exit_code=None, duration_s=0.0, error="not run by the tests' script sandbox")
        work = artifacts_dir.parent / f"{artifacts_dir.name}-work"
        shutil.copytree(spec.submission_dir, work)
        (work / "output").mkdir(exist_ok=True)
        started = time.monotonic()
        proc = subprocess.run(list(spec.command), cwd=work, capture_output=True, timeout=60, check=False)
        out_dir = artifacts_dir / "output"
        shutil.copytree(work / "output", out_dir)
        files = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
        stdout, stderr = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
        return RunResult(backend=self.name, label=spec.label, command=tuple(spec.command),
                         status="completed" if proc.returncode == 0 else "failed", exit_code=proc.returncode,
                         duration_s=round(time.monotonic() - started, 3), stdout=stdout, stderr=stderr,
                         stdout_bytes=len(proc.stdout), stderr_bytes=len(proc.stderr), output_dir=out_dir,
                         output_files=files, security_boundary=True)


@pytest.fixture
def script_sandbox(monkeypatch):
    """`--backend local` opens the ScriptSandbox instead (the test does not depend on the local runner's setup)."""
    import sandbox.registry
    from sandbox.registry import Opened

    monkeypatch.setattr(sandbox.registry, "open_sandbox", lambda backend, log=None: Opened(ScriptSandbox()))
    return ScriptSandbox


@pytest.fixture
def in_process(monkeypatch):
    """`grader batch` grades in this process instead of a pool of fresh ones."""
    import grader.batch.executors

    monkeypatch.setattr(grader.batch.executors, "LocalExecutor", InProcess)


# --- the attacks, end to end -------------------------------------------------------------------------------------


def test_archive_member_named_with_markup_is_graded_and_printed(tmp_path, mock_pack, capsys):
    archive = _zip_with_member(tiny_submission(tmp_path, "cand"), tmp_path / "cand.zip", HOSTILE_MEMBER)
    out = tmp_path / "out"
    code = main(["check", str(archive), "--pack", str(mock_pack.root), "--backend", "none", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 3  # not graded, with the reason in the report and on the terminal
    assert json.loads((out / "report.json").read_text())["status"] == "not_graded"
    assert "x[/]y.py" in printed and "path traversal" in printed
    no_control(printed)


def test_predictions_header_with_markup_is_graded_and_printed(tmp_path, mock_pack, script_sandbox, capsys):
    sub = tiny_submission(tmp_path, "cand")
    (sub / "run.sh").write_text("#!/bin/bash\nmkdir -p output\nprintf 'id,[/]late\\n1,0\\n' > output/predictions.csv\n")
    out = tmp_path / "out"
    code = main(["check", str(sub), "--pack", str(mock_pack.root), "--backend", "local", "--out", str(out), *FAST])
    printed = capsys.readouterr().out
    assert code == 0
    assert "[/]late" in json.loads((out / "report.json").read_text())["heldout"]["summary"]
    assert "held-out:" in printed and "[/]late" in printed


def test_run_output_cannot_paint_a_fake_verdict(tmp_path, mock_pack, script_sandbox, capsys):
    sub = tiny_submission(tmp_path, "cand")
    fake = _printf_literal(FAKE_TOTAL)
    (sub / "run.sh").write_text(f"#!/bin/bash\nprintf '{fake}\\n'\nprintf '{fake}\\n' >&2\nexit 3\n")
    out = tmp_path / "out"
    code = main(["check", str(sub), "--pack", str(mock_pack.root), "--backend", "local", "--out", str(out), *FAST])
    printed = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())
    assert code == 0 and report["runs"][0]["status"] == "failed"
    assert "\x1b[2J" in report["runs"][0]["stderr_tail"]  # the evidence keeps the bytes; the terminal does not
    no_control(printed)
    verdicts = [line for line in printed.splitlines() if line.startswith("total ")]
    assert len(verdicts) == 1 and "47/48" not in verdicts[0]
    assert "  total 47/48 (97.9%) PASS" in printed  # shown as an indented log line


def test_batch_goes_on_past_hostile_text_and_prints_it_inert(tmp_path, mock_pack, capsys, in_process):
    src = tmp_path / "cohort"
    tiny_submission(src, "zed", 1)
    _zip_with_member(tiny_submission(tmp_path / "x", "a-evil"), src / "a-evil.zip", HOSTILE_MEMBER)
    out = tmp_path / "out"
    code = main(["batch", str(src), "--out", str(out), "--pack", str(mock_pack.root), "--backend", "none",
                 "--no-similarity"])
    captured = capsys.readouterr()
    printed = captured.out + captured.err  # progress lines go to stderr
    assert code == 0
    with (out / "summary.csv").open(newline="") as fh:
        rows = {row["candidate_id"]: row for row in csv.DictReader(fh)}
    assert rows["a-evil"]["status"] == "not_graded" and "x[/]y.py" in rows["a-evil"]["error"]
    assert rows["zed"]["status"] == "graded"
    assert "a-evil: not_graded" in printed and "x[/]y.py" in printed
    no_control(printed)
    for page in ((out / "cohort.html").read_text(), (out / "submissions" / "a-evil" / "report.html").read_text()):
        assert "&lt;i&gt;x[/]y.py" in page and "<i>x" not in page  # HTML-escaped by jinja2's autoescape


def test_a_result_that_fails_to_report_becomes_a_grader_error_and_the_batch_goes_on(tmp_path, mock_pack):
    from grader.batch.runner import run_batch
    from grader.run.dynamic import DynamicOptions

    src = tmp_path / "cohort"
    for number, name in enumerate(("a-first", "b-second")):
        tiny_submission(src, name, number)
    seen = []

    def on_event(kind, payload):
        if kind == "graded":
            seen.append((payload.candidate, payload.status))
            if payload.candidate == "a-first" and payload.status == "graded":
                raise RuntimeError("the terminal could not print this row")

    out = tmp_path / "out"
    result = run_batch(src, out, mock_pack, str(mock_pack.root), "none", DynamicOptions(), InProcess(),
                       on_event=on_event, similarity=False)
    statuses = {row.candidate: row.status for row in result.rows}
    assert statuses == {"a-first": "grader_error", "b-second": "graded"}
    failed = next(row for row in result.rows if row.candidate == "a-first")
    assert "the terminal could not print this row" in failed.error
    assert ("a-first", "grader_error") in seen  # the error row itself was reported
    again = run_batch(src, out, mock_pack, str(mock_pack.root), "none", DynamicOptions(), InProcess(),
                      similarity=False)
    assert again.graded_now == 1 and {row.status for row in again.rows} == {"graded"}  # retried, like any grader error
