"""Intake: turn a submission (directory, .zip, .tar[.gz]) into a clean Workspace and find its parts.

The copy keeps regular files only: symlinks, devices and other specials are left out, names that
escape the tree are refused, and caps on file count and size keep an archive bomb out. Every such
decision is a finding in the report. Nothing of the submission is imported or executed here.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_FILES = 5_000
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100  # uncompressed : compressed, above RATIO_FLOOR bytes
RATIO_FLOOR = 10 * 1024 * 1024
GIT_TIMEOUT_S = 120
SKIP_DIRS = {".git", "__pycache__", ".ipynb_checkpoints", "__MACOSX", "node_modules", ".venv", "venv", "env",
             ".mypy_cache", ".pytest_cache", "site-packages", ".idea", ".vscode"}
REQUIREMENT_FILES = ("requirements.txt", "environment.yml", "environment.yaml", "conda.yml", "conda.yaml",
                     "pyproject.toml")


class IntakeError(ValueError):
    """The submission cannot be taken in at all; the message names the file and the reason."""


@dataclass
class Workspace:
    """A clean copy of one submission and what intake found in it."""

    name: str
    source: Path
    root: Path
    digest: str
    python_files: list[str] = field(default_factory=list)
    notebooks: list[str] = field(default_factory=list)
    readme: str | None = None
    run_script: str | None = None
    requirement_files: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    all_files: list[str] = field(default_factory=list)
    pipeline_style: str = "none"
    entry_point: str | None = None
    compiled_files: list[str] = field(default_factory=list)  # native code, executables, bytecode: a finding
    files: int = 0
    bytes: int = 0

    def layout(self) -> dict[str, object]:
        return {"python_files": self.python_files, "notebooks": self.notebooks, "readme": self.readme,
                "run_script": self.run_script, "requirement_files": self.requirement_files,
                "pipeline_style": self.pipeline_style, "entry_point": self.entry_point,
                "files": self.files, "bytes": self.bytes}


class _Budget:
    def __init__(self, where: Path) -> None:
        self.where = where
        self.files = 0
        self.bytes = 0

    def take(self, name: str, size: int) -> None:
        self.files += 1
        self.bytes += size
        if self.files > MAX_FILES:
            raise IntakeError(f"{self.where}: more than {MAX_FILES} files; refused")
        if size > MAX_FILE_BYTES:
            raise IntakeError(f"{self.where}: {name} is {size} bytes, over the {MAX_FILE_BYTES}-byte file cap")
        if self.bytes > MAX_TOTAL_BYTES:
            raise IntakeError(f"{self.where}: over {MAX_TOTAL_BYTES} bytes unpacked; refused (archive bomb?)")


def _utf8_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return f"{shown}: the name is not valid UTF-8; left out"
    return None


def _safe_relative(name: str, where: Path) -> PurePosixPath | None:
    """A member name as a relative path inside the tree, or None for names to skip."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise IntakeError(f"{where}: member {name!r} points outside the submission (path traversal); refused")
    parts = [p for p in path.parts if p not in ("", ".")]
    return PurePosixPath(*parts) if parts else None


def _copy_directory(src: Path, dest: Path, findings: list[str], budget: _Budget) -> None:
    for root, dirs, files in os.walk(src, followlinks=False):
        rel_root = Path(root).relative_to(src)
        kept_dirs = []
        for d in sorted(dirs):
            full = Path(root) / d
            if full.is_symlink():
                findings.append(f"{rel_root / d}: symbolic link to a directory; left out")
            else:
                kept_dirs.append(d)
        dirs[:] = kept_dirs
        for name in sorted(files):
            full = Path(root) / name
            rel = rel_root / name
            problem = _utf8_problem(str(rel))
            if problem:
                findings.append(problem)
                continue
            mode = full.lstat().st_mode
            if stat.S_ISLNK(mode):
                findings.append(f"{rel}: symbolic link; left out")
                continue
            if not stat.S_ISREG(mode):
                findings.append(f"{rel}: not a regular file (device, fifo or socket); left out")
                continue
            budget.take(str(rel), full.lstat().st_size)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(full, target, follow_symlinks=False)


def _extract_zip(archive: Path, dest: Path, findings: list[str], budget: _Budget) -> None:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IntakeError(f"{archive}: not a readable zip archive ({exc})") from exc
    with zf:
        for info in zf.infolist():
            name = info.filename
            if not info.flag_bits & 0x800:  # no UTF-8 flag: zipfile decoded the raw bytes as cp437
                try:
                    name = name.encode("cp437").decode("utf-8")
                except UnicodeError:
                    findings.append(f"{name}: the name is not valid UTF-8; left out")
                    continue
            rel = _safe_relative(name, archive)
            if rel is None or info.is_dir():
                continue
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise IntakeError(f"{archive}: {rel} expands {info.file_size // max(info.compress_size, 1)}:1 "
                                  f"to {info.file_size} bytes; refused (zip bomb?)")
            if stat.S_ISLNK(info.external_attr >> 16):
                findings.append(f"{rel}: symbolic link in the archive; left out")
                continue
            budget.take(str(rel), info.file_size)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(info) as fh, target.open("wb") as out:
                while chunk := fh.read(1 << 20):
                    written += len(chunk)
                    if written > info.file_size or written > MAX_FILE_BYTES:
                        raise IntakeError(f"{archive}: {rel} expands beyond its declared size; refused")
                    out.write(chunk)


def _extract_tar(archive: Path, dest: Path, findings: list[str], budget: _Budget) -> None:
    try:
        tf = tarfile.open(archive)
    except (tarfile.TarError, OSError) as exc:
        raise IntakeError(f"{archive}: not a readable tar archive ({exc})") from exc
    with tf:
        for member in tf:
            problem = _utf8_problem(member.name)
            if problem:
                findings.append(problem)
                continue
            rel = _safe_relative(member.name, archive)
            if rel is None or member.isdir():
                continue
            if member.issym() or member.islnk():
                findings.append(f"{rel}: link in the archive; left out")
                continue
            if not member.isfile():
                findings.append(f"{rel}: device or special file in the archive; left out")
                continue
            budget.take(str(rel), member.size)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with tf.extractfile(member) as fh, target.open("wb") as out:  # type: ignore[union-attr]
                shutil.copyfileobj(fh, out)


def is_git_source(source: Path) -> bool:
    """A git bundle file, or a bare repository directory (a working tree is taken as a directory)."""
    if source.is_file():
        with source.open("rb") as fh:
            return fh.read(16).startswith((b"# v2 git bundle", b"# v3 git bundle"))
    return (source / "HEAD").is_file() and (source / "objects").is_dir() and (source / "refs").is_dir()


def _export_git(source: Path, workdir: Path, findings: list[str]) -> Path:
    """Clone without the source's config or hooks and export HEAD as a tar archive."""
    home = workdir / "git-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": "file"}
    clone, tar = workdir / "clone.git", workdir / "head.tar"
    steps = [
        ["git", "clone", "--bare", "--no-local", "--quiet", "--", str(source.resolve()), str(clone)],
        ["git", "--git-dir", str(clone), "archive", "--format=tar", "-o", str(tar), "HEAD"],
        ["git", "--git-dir", str(clone), "rev-parse", "HEAD"],
    ]
    for step in steps:
        try:
            proc = subprocess.run(step, env=env, capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise IntakeError(f"{source}: git could not read it ({exc})") from exc
        if proc.returncode != 0:
            raise IntakeError(f"{source}: not a readable git repository or bundle "
                              f"({proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'git failed'})")
    findings.append(f"graded the committed HEAD {proc.stdout.strip()[:12]} of the git repository")
    return tar


def _submission_root(tree: Path) -> Path:
    """Descend through a single wrapping folder (`submission/` inside the zip, say)."""
    current = tree
    while True:
        entries = [e for e in current.iterdir() if e.name not in SKIP_DIRS and not e.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir() and not (current / "run.sh").exists():
            current = entries[0]
        else:
            return current


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _discover(ws: Workspace, tree: Path) -> None:
    """Fill in what the submission holds and what is wrong with its layout, findings in a fixed order."""
    _list_files(ws)
    _find_leftovers(ws, tree)
    _find_entry_files(ws)
    _find_layout_problems(ws)
    _find_compiled(ws)


def _list_files(ws: Workspace) -> None:
    """Every file, the counts and sizes outside skipped folders, and the Python modules and notebooks to review."""
    root = ws.root
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and len(ws.all_files) < MAX_FILES:
            ws.all_files.append(str(rel))
        if any(part in SKIP_DIRS for part in rel.parts[:-1]) or not path.is_file():
            continue
        ws.files += 1
        ws.bytes += path.stat().st_size
        text = str(rel)
        if rel.parts[0] in ("data", "output"):
            continue
        if path.suffix == ".py":
            ws.python_files.append(text)
        elif path.suffix == ".ipynb":
            ws.notebooks.append(text)


def _find_leftovers(ws: Workspace, tree: Path) -> None:
    """A finding for each committed environment, cache or leftover folder."""
    committed = [p for p in SKIP_DIRS if any(tree.rglob(p))]
    for name in sorted(committed):
        ws.findings.append(f"{name}/ is in the submission (committed environment, cache or leftovers)")


def _find_entry_files(ws: Workspace) -> None:
    """The README, run.sh and its entry point, the requirement files and the pipeline's layout."""
    root = ws.root
    readmes = sorted((p for p in root.iterdir() if p.is_file() and p.name.lower().startswith("readme")),
                     key=lambda p: (p.suffix.lower() != ".md", p.name))
    ws.readme = readmes[0].name if readmes else None
    if (root / "run.sh").is_file():
        ws.run_script = "run.sh"
    ws.requirement_files = [n for n in REQUIREMENT_FILES if (root / n).is_file()]
    if (root / "data").is_dir() and any((root / "data").iterdir()):
        ws.findings.append("data/ is in the submission: the grader provides data/ and replaces it")
    ws.pipeline_style = _pipeline_style(ws)
    if ws.run_script:
        text = (root / ws.run_script).read_text(encoding="utf-8", errors="replace")
        match = re.search(r"^\s*(?:exec\s+)?(python3?\s+[^\n;&|]+)", text, re.MULTILINE)
        ws.entry_point = match.group(1).strip()[:200] if match else None
    else:
        ws.findings.append("run.sh is missing: the pipeline cannot be run as the paper asks")


def _find_layout_problems(ws: Workspace) -> None:
    """Findings for a lone notebook in a subfolder, a committed output/, and a missing notebook or module."""
    for nb in ws.notebooks:
        if "/" in nb and len(ws.notebooks) == 1:
            ws.findings.append(f"the notebook is in a subfolder: {nb}")
    if (ws.root / "output").is_dir() and any((ws.root / "output").iterdir()):
        ws.findings.append("output/ is in the submission: the grader gives the run an empty one")
    if not ws.notebooks:
        ws.findings.append("no notebook (.ipynb) found for the EDA task")
    if not ws.python_files:
        ws.findings.append("no .py module found for the pipeline task")


def _find_compiled(ws: Workspace) -> None:
    """The compiled files in the submission, and a finding naming the first eight."""
    ws.compiled_files = [rel for rel in ws.all_files if _compiled(ws.root / rel)]
    if ws.compiled_files:
        shown = ", ".join(ws.compiled_files[:8]) + (" ..." if len(ws.compiled_files) > 8 else "")
        ws.findings.append(f"{len(ws.compiled_files)} compiled file(s) (native libraries, executables, bytecode): "
                           f"{shown}; never loaded by the grader, and code that needs them cannot be reviewed")


COMPILED_SUFFIXES = (".so", ".pyd", ".pyc", ".pyo", ".dll", ".dylib", ".o", ".a", ".exe")
BINARY_MAGIC = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


def _compiled(path: Path) -> bool:
    """Is path a native library, an executable or Python bytecode (by its name or its first bytes)?"""
    name = path.name.lower()
    if name.endswith(COMPILED_SUFFIXES) or ".so." in name:
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        return False
    return head.startswith(BINARY_MAGIC)


def _pipeline_style(ws: Workspace) -> str:
    """How the pipeline code is laid out: a src package, src modules, loose scripts, or notebooks only."""
    in_src = [p for p in ws.python_files if p.startswith("src/")]
    if "src/__init__.py" in ws.python_files:
        return "src package"
    if in_src:
        return "src modules"
    if ws.python_files:
        return "loose scripts"
    return "notebooks only" if ws.notebooks else "none"


def take_in(source: Path, workdir: Path) -> Workspace:
    """Copy or unpack `source` under workdir and return the Workspace; IntakeError when impossible."""
    source = Path(source)
    if not source.exists():
        raise IntakeError(f"{source}: does not exist")
    tree = workdir / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    findings: list[str] = []
    budget = _Budget(source)
    name = source.name
    if is_git_source(source):
        _extract_tar(_export_git(source, workdir, findings), tree, findings, budget)
        name = source.name.removesuffix(".bundle").removesuffix(".git")
    elif source.is_dir():
        _copy_directory(source, tree, findings, budget)
    elif source.suffix.lower() == ".zip" or zipfile.is_zipfile(source):
        _extract_zip(source, tree, findings, budget)
        name = source.name.removesuffix(".zip")
    elif source.name.lower().endswith((".tar", ".tar.gz", ".tgz")) or tarfile.is_tarfile(source):
        _extract_tar(source, tree, findings, budget)
        for suffix in (".tar.gz", ".tgz", ".tar"):
            name = name.removesuffix(suffix)
    else:
        raise IntakeError(f"{source}: neither a directory nor a .zip / .tar archive")
    if not any(tree.rglob("*")):
        raise IntakeError(f"{source}: the submission is empty")
    root = _submission_root(tree)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    ws = Workspace(name=name, source=source, root=root, digest=_digest(root), findings=findings)
    _discover(ws, tree)
    return ws
