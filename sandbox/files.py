"""File-system edges shared by the sandbox backends: capped scratch directories, copying out results."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATE_DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db-journal")


def data_file_names(data_dir: Path) -> list[str]:
    """The round's files staged for a run (their names in data/), for the tracer's "provided data" test."""
    return sorted(p.name for p in Path(data_dir).iterdir() if p.is_file() and not p.is_symlink())


def _workspace_ignore(root: Path):
    """copytree's ignore: the candidate's output/ and any database committed under data/ stay out."""
    root_text, data_text = str(root), str(root / "data")

    def ignore(directory: str, names: list[str]) -> list[str]:
        if directory == root_text:
            return [n for n in names if n == "output"]
        if directory == data_text or directory.startswith(data_text + os.sep):
            return [n for n in names if n.lower().endswith(CANDIDATE_DATABASE_SUFFIXES)]
        return []

    return ignore


def stage_workspace(submission: Path, data_dir: Path, work: Path) -> None:
    """The run's writable workspace, as an assessor's checkout has it (same as sandbox/entry.sh in Docker).

    A copy of the submission without its output/ and without databases it committed under data/, then
    a copy of the round's data at data/<file>; the pack's own files are never exposed for writing.
    """
    shutil.copytree(submission, work, symlinks=True, ignore=_workspace_ignore(Path(submission)))
    data = work / "data"
    if data.is_symlink() or (data.exists() and not data.is_dir()):
        data.unlink()
    data.mkdir(exist_ok=True)
    for source in Path(data_dir).iterdir():
        target = data / source.name
        if target.is_symlink() or target.is_file():
            target.unlink()
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copyfile(source, target)
    for path in [data, *data.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    (work / "output").mkdir(exist_ok=True)


@contextlib.contextmanager
def capped_directory(size_mb: int, executable: bool = False) -> Iterator[tuple[Path, bool]]:
    """A host directory the container may write to, on its own size-capped tmpfs when we may mount.

    Yields (path, cap_enforced). Without the right to mount (not root), the directory is plain and
    only the grader's read caps protect the host.
    """
    path = Path(tempfile.mkdtemp(prefix="aie-out-"))
    mounted = False
    if getattr(os, "geteuid", lambda: -1)() == 0 and shutil.which("mount"):  # no geteuid on Windows
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0777,nosuid,nodev{'' if executable else ',noexec'}",
             "tmpfs", str(path)],
            capture_output=True, check=False,
        )
        mounted = proc.returncode == 0
    if not mounted:
        path.chmod(0o777)
    try:
        yield path, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class CopiedOutputs:
    """What copy-out took from a run's output/ and what it refused, each refusal a finding."""

    files: list[str] = field(default_factory=list)
    bytes_copied: int = 0
    findings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def run_directory() -> Iterator[Path]:
    """A directory of the grader's for one run's settings and trace socket: the sandbox may read, never write."""
    path = Path(tempfile.mkdtemp(prefix="aie-run-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def copy_outputs(src: Path, dest: Path, cap_bytes: int, max_files: int = 200) -> CopiedOutputs:
    """Copy the regular files a run wrote out of its directory, within a cap on their apparent size.

    Sizes are apparent sizes (st_size), not blocks used: a sparse file that costs nothing inside the
    sandbox costs its full size on the host. Links, FIFOs, devices and sockets are refused; a file that
    would take the total past cap_bytes is not copied at all (a half-copied predictions file is worse
    than none). Smallest files first, so a saved model cannot use up the cap before the predictions. Every
    refusal is a finding.
    """
    copied = CopiedOutputs()
    dest.mkdir(parents=True, exist_ok=True)
    for root, dirs, files in os.walk(src, followlinks=False):
        rel_root = Path(root).relative_to(src)
        for name in sorted(files, key=lambda n: (_apparent_size(Path(root) / n), n)):
            rel = rel_root / name
            if len(copied.files) >= max_files:
                copied.findings.append(f"output/: more than {max_files} files; {rel} and the rest were not copied")
                return copied
            problem = _copy_one(Path(root) / name, dest / rel, cap_bytes - copied.bytes_copied)
            if isinstance(problem, str):
                copied.findings.append(f"output/{rel}: {problem}")
            else:
                copied.files.append(str(rel))
                copied.bytes_copied += problem
        dirs[:] = sorted(d for d in dirs if not (Path(root) / d).is_symlink())
    return copied


def _apparent_size(path: Path) -> int:
    """A file's size without following a link (0 when it cannot be read: the copy then says why)."""
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def _copy_one(source: Path, target: Path, budget: int) -> int | str:
    """Copy one regular file within budget bytes: the bytes copied, or why it was refused."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        return f"not copied ({'a symbolic link' if exc.errno == errno.ELOOP else exc.strerror})"
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            return "not copied: a FIFO, device or socket, not a regular file"
        sparse = info.st_blocks * 512 < info.st_size - 4096
        if info.st_size > budget:
            what = "a sparse file of" if sparse else "a file of"
            return (f"not copied: {what} {info.st_size} bytes (apparent size), over the "
                    f"{max(budget, 0)} bytes left of the output cap")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            copied = _bounded_copy(fh, out, info.st_size)
    return copied


def _bounded_copy(src, dst, limit: int) -> int:
    """Copy at most limit bytes (a file still growing cannot take more than it declared)."""
    done = 0
    while done < limit:
        chunk = src.read(min(1 << 20, limit - done))
        if not chunk:
            break
        dst.write(chunk)
        done += len(chunk)
    return done


def record_outputs(result, copied: CopiedOutputs) -> None:
    """Put what copy-out took and refused on the run's result (a RunResult)."""
    result.output_files = copied.files
    result.output_findings = copied.findings
    result.notes.extend(copied.findings)
