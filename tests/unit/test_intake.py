"""Intake copies or unpacks a submission into a clean workspace and finds its parts."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile

import pytest

from grader.intake.workspace import IntakeError, take_in
from tests.conftest import SAMPLES


def test_directory_sample_layout(tmp_path):
    ws = take_in(SAMPLES / "weak", tmp_path)
    assert ws.run_script == "run.sh"
    assert ws.readme == "README.md"
    assert ws.notebooks == ["eda.ipynb"]
    assert "src/model.py" in ws.python_files
    assert ws.requirement_files == ["requirements.txt"]
    assert len(ws.digest) == 64
    assert take_in(SAMPLES / "weak", tmp_path / "again").digest == ws.digest


def test_symlinks_and_specials_are_left_out(tmp_path):
    src = tmp_path / "sub"
    (src / "src").mkdir(parents=True)
    (src / "run.sh").write_text("python src/main.py\n")
    (src / "src" / "main.py").write_text("print('hi')\n")
    os.symlink("/etc/passwd", src / "passwd")
    os.symlink("/etc", src / "etc_dir")
    os.mkfifo(src / "pipe")
    ws = take_in(src, tmp_path / "ws")
    names = {p.name for p in ws.root.rglob("*")}
    assert "passwd" not in names and "etc_dir" not in names and "pipe" not in names
    assert any("symbolic link" in f for f in ws.findings)
    assert any("not a regular file" in f for f in ws.findings)


def test_zip_with_wrapper_folder_and_macosx(tmp_path):
    archive = tmp_path / "cand.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("submission/run.sh", "bash\n")
        zf.writestr("submission/src/main.py", "x = 1\n")
        zf.writestr("__MACOSX/submission/._run.sh", "junk")
    ws = take_in(archive, tmp_path / "ws")
    assert ws.name == "cand"
    assert ws.run_script == "run.sh" and ws.python_files == ["src/main.py"]
    assert any("__MACOSX" in f for f in ws.findings)


def test_zip_path_traversal_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("run.sh", "echo\n")
        zf.writestr("../../escaped.txt", "gotcha")
    with pytest.raises(IntakeError, match="path traversal"):
        take_in(archive, tmp_path / "ws")
    assert not (tmp_path / "escaped.txt").exists()


def test_tar_symlink_escape_is_left_out(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        data = b"echo hi\n"
        info = tarfile.TarInfo("run.sh")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("data_link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/shadow"
        tf.addfile(link)
    ws = take_in(archive, tmp_path / "ws")
    assert not (ws.root / "data_link").exists()
    assert any("link in the archive" in f for f in ws.findings)


def test_corrupt_and_empty_inputs_get_clear_errors(tmp_path):
    corrupt = tmp_path / "broken.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(IntakeError, match="broken.zip"):
        take_in(corrupt, tmp_path / "ws")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IntakeError, match="empty"):
        take_in(empty, tmp_path / "ws2")


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    import grader.intake.workspace as intake

    monkeypatch.setattr(intake, "MAX_TOTAL_BYTES", 1_000_000)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            zf.writestr(f"part{i}.txt", b"\0" * 600_000)
    assert archive.stat().st_size < 20_000
    with pytest.raises(IntakeError, match="archive bomb"):
        take_in(archive, tmp_path / "ws")


def _git(*args, cwd=None):
    import subprocess

    env = {"PATH": os.environ["PATH"], "HOME": str(cwd or "/tmp"), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "c", "GIT_AUTHOR_EMAIL": "c@x", "GIT_COMMITTER_NAME": "c", "GIT_COMMITTER_EMAIL": "c@x"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _repo(tmp_path):
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "run.sh").write_text("python -m src.main\n")
    (repo / "src" / "main.py").write_text("print('committed')\n")
    _git("init", "-q", "-b", "main", cwd=repo)
    _git("add", ".", cwd=repo)
    _git("commit", "-qm", "submission", cwd=repo)
    (repo / "src" / "main.py").write_text("print('uncommitted change')\n")
    return repo


def test_git_bundle_is_taken_at_head(tmp_path):
    repo = _repo(tmp_path)
    bundle = tmp_path / "cand.bundle"
    _git("bundle", "create", str(bundle), "--all", cwd=repo)
    ws = take_in(bundle, tmp_path / "ws")
    assert ws.name == "cand"
    assert (ws.root / "src" / "main.py").read_text() == "print('committed')\n"
    assert ws.entry_point == "python -m src.main"
    assert any("committed HEAD" in f for f in ws.findings)


def test_bare_repository_is_taken_without_its_hooks(tmp_path):
    repo = _repo(tmp_path)
    bare = tmp_path / "cand.git"
    _git("clone", "-q", "--bare", str(repo), str(bare), cwd=tmp_path)
    hook = bare / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path}/hook-ran\n")
    hook.chmod(0o755)
    (bare / "config").write_text((bare / "config").read_text() + f"[core]\n\tfsmonitor = touch {tmp_path}/fsmon\n")
    ws = take_in(bare, tmp_path / "ws")
    assert ws.run_script == "run.sh" and ws.pipeline_style == "src modules"
    assert not (tmp_path / "hook-ran").exists() and not (tmp_path / "fsmon").exists()


def test_a_corrupt_bundle_is_a_clear_error(tmp_path):
    bundle = tmp_path / "bad.bundle"
    bundle.write_bytes(b"# v2 git bundle\ngarbage\n")
    with pytest.raises(IntakeError, match="bad.bundle: not a readable git repository or bundle"):
        take_in(bundle, tmp_path / "ws")


def test_names_that_are_not_utf8_are_left_out(tmp_path):
    src = tmp_path / "sub"
    src.mkdir()
    (src / "run.sh").write_text("echo\n")
    (src / os.fsdecode(b"caf\xe9.py")).write_text("x = 1\n")
    ws = take_in(src, tmp_path / "ws")
    assert ws.python_files == []
    assert any("not valid UTF-8" in f for f in ws.findings)
    archive = tmp_path / "latin.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("run.sh", "echo\n")
        info = zipfile.ZipInfo("placeholder.py")
        zf.writestr(info, "x = 1\n")
    raw = archive.read_bytes().replace(b"placeholder.py", b"placeholde\xe9.py")
    archive.write_bytes(raw)
    ws = take_in(archive, tmp_path / "ws2")
    assert ws.python_files == [] and any("not valid UTF-8" in f for f in ws.findings)


def test_high_ratio_member_is_refused(tmp_path):
    archive = tmp_path / "ratio.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("run.sh", "echo\n")
        zf.writestr("big.csv", b"0" * 50_000_000)
    with pytest.raises(IntakeError, match=r"expands \d+:1"):
        take_in(archive, tmp_path / "ws")


def test_layout_variants_are_recorded(tmp_path):
    src = tmp_path / "loose"
    (src / "notebooks").mkdir(parents=True)
    (src / "output").mkdir()
    (src / "output" / "old_predictions.csv").write_text("a\n")
    (src / "train.py").write_text("print(1)\n")
    (src / "notebooks" / "analysis.ipynb").write_text("{}")
    (src / "run.sh").write_text("#!/bin/bash\nexec python3 train.py --fast\n")
    ws = take_in(src, tmp_path / "ws")
    assert ws.pipeline_style == "loose scripts"
    assert ws.entry_point == "python3 train.py --fast"
    assert ws.notebooks == ["notebooks/analysis.ipynb"]
    assert any("subfolder" in f for f in ws.findings)
    assert any("output/ is in the submission" in f for f in ws.findings)


def test_too_many_files_and_huge_files_are_refused(tmp_path, monkeypatch):
    import grader.intake.workspace as intake

    src = tmp_path / "many"
    src.mkdir()
    for i in range(30):
        (src / f"f{i}.py").write_text("x = 1\n")
    monkeypatch.setattr(intake, "MAX_FILES", 20)
    with pytest.raises(IntakeError, match="more than 20 files"):
        take_in(src, tmp_path / "ws")
    monkeypatch.setattr(intake, "MAX_FILES", 5_000)
    monkeypatch.setattr(intake, "MAX_FILE_BYTES", 1_000)
    (src / "model.pkl").write_bytes(b"\0" * 5_000)
    with pytest.raises(IntakeError, match=r"model.pkl is 5000 bytes, over the 1000-byte file cap"):
        take_in(src, tmp_path / "ws2")
