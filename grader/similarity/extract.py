"""Safe extraction of a submission's code: .py files as they are, notebooks as their code cells joined into a script.

Nothing here raises on hostile input: symlinks, special files, huge files, broken JSON and bad encodings are skipped or
decoded with replacement characters.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

FILE_CAP = 2 * 1024 * 1024  # bytes of code kept per file
TOTAL_CAP = 20 * 1024 * 1024  # bytes of code kept per submission
NOTEBOOK_RAW_CAP = 32 * 1024 * 1024  # a notebook's JSON may be large (embedded plots); only its code counts to the caps
MAX_FILES = 2000
SKIP_DIRS = frozenset(
    {".git", "__pycache__", ".venv", "venv", "env", "node_modules", ".ipynb_checkpoints", "__MACOSX", "site-packages",
     ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)
# Cell magics whose body is still Python code.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "writefile", "file"})


@dataclass
class CodeUnit:
    """One file's code, already converted: a .py file, or a notebook's code cells as a script."""

    path: str
    text: str
    kind: str  # "py" or "notebook"
    line_map: list[tuple[int, int]] | None = None  # notebook only: per line of text, (cell 1-based, line in cell)

    def to_dict(self) -> dict:
        data: dict = {"path": self.path, "text": self.text, "kind": self.kind}
        if self.line_map is not None:
            data["line_map"] = [[cell, line] for cell, line in self.line_map]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> CodeUnit:
        line_map = data.get("line_map")
        return cls(
            path=str(data["path"]),
            text=str(data["text"]),
            kind=str(data.get("kind", "py")),
            line_map=[(int(c), int(n)) for c, n in line_map] if line_map is not None else None,
        )

    def location(self, line: int) -> tuple[int | None, int]:
        """(cell, line in cell) for a 1-based line of `text`; (None, line) for a .py file."""
        if self.line_map is None or not self.line_map:
            return None, line
        index = min(max(line, 1), len(self.line_map)) - 1
        cell, cell_line = self.line_map[index]
        return cell, cell_line


@dataclass
class SubmissionCode:
    """All the code units of one candidate's submission."""

    candidate: str
    units: list[CodeUnit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"candidate": self.candidate, "units": [unit.to_dict() for unit in self.units]}

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionCode:
        return cls(candidate=str(data["candidate"]), units=[CodeUnit.from_dict(u) for u in data.get("units", [])])

    @property
    def lines(self) -> int:
        return sum(unit.text.count("\n") + 1 for unit in self.units if unit.text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path, cap: int) -> bytes | None:
    """Read at most `cap` bytes of a regular file without following a final symlink; None when unsafe or unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks: list[bytes] = []
        remaining = cap
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _inside(root: Path, rel: str) -> Path | None:
    """The path of `rel` under root when no component is a symlink and it stays inside root."""
    if not rel or os.path.isabs(rel) or ".." in Path(rel).parts:
        return None
    path = root / rel
    current = root
    for part in Path(rel).parts:
        current = current / part
        try:
            if current.is_symlink():
                return None
        except OSError:
            return None
    return path


def _cell_source(cell: dict) -> str:
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _is_magic_line(stripped: str) -> bool:
    return stripped.startswith(("%", "!")) or (stripped.endswith("?") and not stripped.startswith("#"))


def _notebook_cells(raw: bytes | str) -> list | None:
    """The cells of a notebook (nbformat 3's worksheets flattened); None when it is not a notebook."""
    try:
        data = json.loads(raw)
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    cells = data.get("cells")
    if cells is None and isinstance(data.get("worksheets"), list):  # nbformat 3
        cells = [c for ws in data["worksheets"] if isinstance(ws, dict) for c in ws.get("cells", []) or []]
    return cells if isinstance(cells, list) else None


def _first_python_line(lines: list[str]) -> int | None:
    """Index of a code cell's first Python line: 1 after a Python cell magic, None for a cell in another language."""
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in _PYTHON_CELL_MAGICS:
            return None  # %%bash, %%html, %%sql ...: not Python
        return 1
    return 0


def _append_cell(
    number: int, lines: list[str], first: int, out_lines: list[str], line_map: list[tuple[int, int]], size: int,
    cap: int,
) -> int:
    """Add a cell's non-magic lines from first on until the size cap is passed; returns the size so far."""
    for index in range(first, len(lines)):
        line = lines[index]
        if _is_magic_line(line.strip()):
            continue
        size += len(line) + 1
        if size > cap:
            break
        out_lines.append(line)
        line_map.append((number, index + 1))
    return size


def notebook_code(raw: bytes | str, path: str = "eda.ipynb", cap: int = FILE_CAP) -> CodeUnit | None:
    """A notebook's code cells as one script with a line map back to (cell, line); None for a broken notebook."""
    cells = _notebook_cells(raw)
    if cells is None:
        return None
    out_lines: list[str] = []
    line_map: list[tuple[int, int]] = []
    size = 0
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        lines = _normalise_newlines(_cell_source(cell)).split("\n")
        first = _first_python_line(lines)
        if first is None:
            continue
        size = _append_cell(number, lines, first, out_lines, line_map, size, cap)
        if size > cap:
            break
    if not out_lines:
        return CodeUnit(path=path, text="", kind="notebook", line_map=[])
    return CodeUnit(path=path, text="\n".join(out_lines) + "\n", kind="notebook", line_map=line_map)


def extract_code(root: Path, python_files: list[str], notebooks: list[str]) -> list[CodeUnit]:
    """Read the given files (paths relative to root) safely: skip symlinks and non-files, cap each file at 2 MB of code
    and the total at 20 MB, decode UTF-8 with errors='replace', parse notebooks as JSON defensively (a broken notebook
    yields no unit, never an exception)."""
    root = Path(root)
    units: list[CodeUnit] = []
    total = 0
    todo = [(rel, "py") for rel in python_files] + [(rel, "notebook") for rel in notebooks]
    for rel, kind in todo[: MAX_FILES]:
        if total >= TOTAL_CAP:
            break
        rel_posix = Path(str(rel)).as_posix()
        path = _inside(root, rel_posix)
        if path is None:
            continue
        cap = min(FILE_CAP, TOTAL_CAP - total)
        raw = _read_bytes(path, cap if kind == "py" else NOTEBOOK_RAW_CAP)
        if raw is None:
            continue
        if kind == "py":
            text = _normalise_newlines(raw.decode("utf-8", errors="replace"))
            if text.startswith("\ufeff"):
                text = text[1:]
            unit = CodeUnit(path=rel_posix, text=text, kind="py")
        else:
            unit = notebook_code(raw, path=rel_posix, cap=cap)
            if unit is None or not unit.text:
                continue
        total += len(unit.text.encode("utf-8", errors="replace"))
        units.append(unit)
    return units


def discover(root: Path) -> tuple[list[str], list[str]]:
    """Relative posix paths of the *.py files and *.ipynb notebooks under root (no symlinks, junk folders skipped)."""
    root = Path(root)
    python_files: list[str] = []
    notebooks: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            if not name.endswith((".py", ".ipynb")):
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                continue
            rel = Path(os.path.relpath(full, root)).as_posix()
            (python_files if name.endswith(".py") else notebooks).append(rel)
            if len(python_files) + len(notebooks) >= MAX_FILES:
                return python_files, notebooks
    return python_files, notebooks


def load_submission(candidate: str, root: Path) -> SubmissionCode:
    """Discover *.py and *.ipynb under root itself (skipping .git, __pycache__, virtualenvs, node_modules, checkpoints,
    __MACOSX, site-packages) and extract them."""
    python_files, notebooks = discover(Path(root))
    return SubmissionCode(candidate=candidate, units=extract_code(Path(root), python_files, notebooks))
