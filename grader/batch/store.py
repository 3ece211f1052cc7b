"""The batch's output folder as a crash-safe result store keyed by content hash (SPEC §10).

Layout of OUT:
  submissions/<candidate>/   report.json, report.html, plots/, runs/, batch.json (the cache record), code.json
  .work/                     staging folders; a folder appears under submissions/ only by one atomic rename
  summary.csv, cohort.html   rewritten atomically after every batch
A submission is finished when submissions/<candidate>/batch.json holds the current cache key: killing the batch at any
moment loses only the submissions in flight, and a re-run grades nothing twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from grader import __version__
from grader.atomicfile import write_text

RECORD = "batch.json"
HASHED_SUFFIXES = {".py", ".toml", ".json", ".j2", ".txt", ".sh", ".pth", ".md", ".cfg", ""}
SKIP_NAMES = {"__pycache__", ".git", ".venv", "node_modules"}
NOT_GRADING_CODE = {"synth"}  # grader/synth makes test cohorts; it never touches a grading


def _hash_tree(root: Path, digest: hashlib._Hash, suffixes: set[str] | None = None,
               skip: frozenset[str] = frozenset()) -> None:
    """Names, link targets and bytes of every file under root, in a stable order, never following links."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_NAMES and d not in skip)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if suffixes is not None and path.suffix not in suffixes:
                continue
            rel = path.relative_to(root).as_posix().encode("utf-8", "surrogateescape")
            digest.update(b"\0F" + rel + b"\0")
            if path.is_symlink():
                digest.update(b"L" + os.readlink(path).encode("utf-8", "surrogateescape"))
            elif path.is_file():
                with path.open("rb") as fh:
                    for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(block)
            else:
                digest.update(b"S")  # a device or fifo: its name only


def content_hash(path: Path) -> str:
    """sha256 of a submission's content: an archive's bytes, or a folder's files (names and bytes)."""
    digest = hashlib.sha256()
    if path.is_dir():
        digest.update(b"dir")
        _hash_tree(path, digest)
    else:
        digest.update(b"file")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def grader_fingerprint() -> str:
    """The grader version plus a hash of its own code and rubric, so an edited grader never reuses old results."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parents[2]
    for package in ("grader", "checks", "sandbox"):
        _hash_tree(here / package, digest, HASHED_SUFFIXES, frozenset(NOT_GRADING_CODE))
    return f"{__version__}+{digest.hexdigest()[:12]}"


def cache_key(submission_hash: str, pack_hash: str, grader: str, options: str) -> str:
    return hashlib.sha256("\n".join((submission_hash, pack_hash, grader, options)).encode()).hexdigest()[:32]


class ResultStore:
    """Committed results under OUT/submissions, staged work under OUT/.work."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.submissions = out / "submissions"
        self.work = out / ".work"
        self.submissions.mkdir(parents=True, exist_ok=True)
        self.work.mkdir(parents=True, exist_ok=True)

    def clean_staging(self) -> int:
        """Remove what a killed batch left half-written; returns how many staging folders went."""
        leftovers = list(self.work.iterdir())
        for path in leftovers:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        return len(leftovers)

    def folder(self, candidate: str) -> Path:
        return self.submissions / candidate

    def record(self, candidate: str) -> dict | None:
        """The committed cache record of a candidate, or None (never graded, or a torn folder)."""
        try:
            return json.loads((self.folder(candidate) / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def records(self) -> dict[str, dict]:
        """Every committed candidate's record by id; a folder without a readable record maps to {}."""
        return {folder.name: self.record(folder.name) or {} for folder in sorted(self.submissions.iterdir())
                if folder.is_dir()}

    def update_record(self, candidate: str, **fields: object) -> None:
        """Change fields of a committed record in place (one atomic replace of batch.json)."""
        record = self.record(candidate)
        if record is not None:
            record.update(fields)
            write_text(json.dumps(record, indent=2, default=str), self.folder(candidate) / RECORD)

    def commit(self, candidate: str, files: bytes | None, record: dict, copy_from: Path | None = None,
               extra_json: dict[str, object] | None = None, prepare: Callable[[Path], None] | None = None) -> Path:
        """Unpack a finished grading into staging, then swap it in with one rename: all or nothing.

        `prepare(stage)` runs on the staged folder before the swap (e.g. carrying the assessor's overrides over).
        """
        stage = Path(tempfile.mkdtemp(prefix=f"{candidate}.", dir=self.work))
        if copy_from is not None:
            shutil.copytree(copy_from, stage, dirs_exist_ok=True, symlinks=True)
            (stage / RECORD).unlink(missing_ok=True)
        if files:
            unpack(files, stage)
        for name, payload in (extra_json or {}).items():
            write_text(json.dumps(payload), stage / name)
        if prepare is not None:
            prepare(stage)
        write_text(json.dumps(record, indent=2, default=str), stage / RECORD)
        stage.chmod(0o755)
        final = self.folder(candidate)
        if final.exists():
            retired = self.work / f"retired-{candidate}-{uuid.uuid4().hex[:8]}"
            final.rename(retired)
            stage.rename(final)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            stage.rename(final)
        return final


def pack_folder(folder: Path, max_bytes: int) -> tuple[bytes, list[str]]:
    """A folder as tar.gz bytes for the trip from a worker to the batch; files past max_bytes are left out."""
    buffer = io.BytesIO()
    skipped: list[str] = []
    total = 0
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=3) as tar:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            rel = path.relative_to(folder).as_posix()
            size = path.stat().st_size
            if total + size > max_bytes and not rel.startswith(("report.", "plots/")):
                skipped.append(rel)
                continue
            total += size
            tar.add(path, arcname=rel, recursive=False)
    return buffer.getvalue(), skipped


def unpack(data: bytes, dest: Path) -> None:
    """Unpack what pack_folder made: regular files only, nothing outside dest.

    Written out rather than `extractall(filter="data")`, which Python 3.11 before 3.11.4 (Debian bookworm's
    3.11.2) does not have.
    """
    root = dest.resolve()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar:
            target = (root / member.name).resolve()
            if not member.isfile() or not target.is_relative_to(root) or target == root:
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
