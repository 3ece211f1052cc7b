"""How the command line behaves for scripts and what the image is built from: no wheel, no grading, no Docker."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from grader.batch.store import pack_folder, unpack
from grader.cli import main
from grader.outdir import default_check_out, out_problem
from grader.rubric.passing import fail_reasons
from sandbox.image import SANDBOX_DIR, download_command, image_tag
from tests.conftest import ROOT, SAMPLES


def test_the_image_is_defined_by_files_inside_the_package():
    assert (SANDBOX_DIR / "Dockerfile").is_file() and not (ROOT / "Dockerfile").exists()
    assert image_tag().startswith("aie-grader/runner:")
    command = download_command(Path("/tmp/wheels"))
    # the wheels are for the image (CPython 3.11 on manylinux), whatever the host's OS and Python
    assert command[command.index("--python-version") + 1] == "3.11"
    assert any(arg.startswith("manylinux") for arg in command)


def test_help_does_not_import_the_checks_or_scikit_learn():
    code = ("import sys; from grader.cli import build_parser; build_parser().format_help(); "
            "print(sorted(m for m in ('sklearn', 'pandas', 'checks.catalogue', 'docker') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "[]"


def test_python_dash_m_grader_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "grader", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.startswith("aie-grader ")


def test_unpack_keeps_regular_files_inside_the_folder_only(tmp_path):
    """Written without extractall(filter=), which Debian bookworm's Python 3.11.2 lacks."""
    folder = tmp_path / "src"
    (folder / "plots").mkdir(parents=True)
    (folder / "report.json").write_text("{}")
    (folder / "plots" / "a.png").write_bytes(b"png")
    data, skipped = pack_folder(folder, 10_000)
    assert skipped == []
    unpack(data, tmp_path / "dest")
    assert (tmp_path / "dest" / "plots" / "a.png").read_bytes() == b"png"

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, kind in (("../escape.txt", tarfile.REGTYPE), ("link", tarfile.SYMTYPE), ("ok.txt", tarfile.REGTYPE),
                           ("/abs.txt", tarfile.REGTYPE)):
            info = tarfile.TarInfo(name)
            info.type, info.size = kind, (2 if kind == tarfile.REGTYPE else 0)
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            tar.addfile(info, io.BytesIO(b"hi") if kind == tarfile.REGTYPE else None)
    unpack(buffer.getvalue(), tmp_path / "hostile")
    assert sorted(p.name for p in (tmp_path / "hostile").rglob("*")) == ["ok.txt"]
    assert not (tmp_path / "escape.txt").exists()


def test_default_output_is_never_inside_the_submission(tmp_path):
    sub = tmp_path / "attempt"
    sub.mkdir()
    assert default_check_out(sub, "attempt", cwd=tmp_path) == tmp_path.resolve() / "grader-out" / "attempt"
    # `grader check .` from inside the submission: beside it, not in it
    assert default_check_out(Path("."), "attempt", cwd=sub) == tmp_path.resolve() / "grader-out" / "attempt"


def test_output_folder_problems_are_found_before_grading(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    assert "inside" in out_problem(sub / "out", (sub,))
    (tmp_path / "file").write_text("x")
    assert "not a folder" in out_problem(tmp_path / "file", ())
    assert "cannot write the reports" in out_problem(tmp_path / "file" / "out", ())
    assert out_problem(tmp_path / "new" / "out", (sub,)) is None and (tmp_path / "new" / "out").is_dir()


@pytest.mark.parametrize("argv, message", [
    (["batch", "SRC", "--out", "OUT", "--jobs", "0"], "--jobs: must be at least 1, got 0"),
    (["check", "SRC", "--probe-jobs", "two"], "--probe-jobs: expected a whole number"),
    (["check", "SRC", "--backend", "podman"], "invalid choice: 'podman'"),
])
def test_bad_option_values_are_usage_errors_on_stderr(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    captured = capsys.readouterr()
    assert exit_.value.code == 2 and message in captured.err and captured.out == ""


def test_an_unwritable_out_is_refused_before_grading(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["check", str(SAMPLES / "weak"), "--backend", "none", "--out", str(tmp_path / "file" / "o")]) == 2
    captured = capsys.readouterr()
    assert "cannot write the reports" in captured.err and "Traceback" not in captured.err + captured.out


def test_the_fail_reason_names_the_condition_missed():
    rule = {"min_total_pct": 50, "min_levels": {"pipeline.design": 2}}
    assert fail_reasons(66.7, {"pipeline.design": 1}, rule) == ["pipeline.design 1 < 2"]
    assert fail_reasons(40.0, {"pipeline.design": None}, rule) == [
        "total 40% < 50%", "pipeline.design not assessed < 2"]
    assert fail_reasons(66.7, {"pipeline.design": 2}, rule) == []


def test_a_folder_that_cannot_be_entered_is_a_clear_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    """As a non-root user, /root/out: Path.exists() itself raises PermissionError on Python 3.11."""
    from grader import outdir

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "exists", denied)
    assert "Permission denied" in outdir.out_problem(tmp_path / "x")
    assert "Permission denied" in outdir.folder_problem(tmp_path / "y", force=False)
    assert main(["mock", "init", str(tmp_path / "y")]) == 2
    assert main(["check", str(tmp_path / "z")]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("grader: error:") == 2 and "Traceback" not in captured.err


def test_grading_with_docker_does_not_need_posix_only_modules():
    """Windows + Docker Desktop: `resource` and `fcntl` (the local runner's) must not be imported on that path."""
    code = ("import sys; sys.modules['resource'] = None; sys.modules['fcntl'] = None\n"
            "import grader.cli, grader.grade, sandbox.registry, sandbox.docker_backend, grader.reports.writers\n"
            "grader.cli.build_parser(); print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "ok", proc.stderr[-1500:]


def test_without_posix_modules_the_local_runner_is_a_clear_problem_not_a_crash():
    code = ("import sys; sys.modules['resource'] = None\n"
            "from sandbox.registry import open_sandbox\n"
            "opened = open_sandbox('local', log=print); print(opened.sandbox, '|', opened.problem)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stdout.startswith("None |") and "use --backend docker" in proc.stdout
