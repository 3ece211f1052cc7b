"""What checks read: the submission's files as intake found them, the sandbox runs, the held-out task.

Filled by the grader; checks never reach back into grader/ (dependencies point one way).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sandbox.base import RunResult

MAX_SOURCE_BYTES = 1_000_000
CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini")


@dataclass(frozen=True)
class HeldoutTask:
    """How to score predictions: the labels stay on the host, outside every sandbox."""

    labels_path: Path
    id_column: str
    target: str
    task: str  # binary | multiclass | regression
    positive_label: str | None = "1"  # binary: the positive class, spelled as in labels.csv
    classes: tuple[str, ...] = ()  # classification: the classes, spelled as in labels.csv
    labels_map: dict[str, str] = field(default_factory=dict)  # raw spelling -> class (predictions may use either)
    primary_metric: str = "f1"  # binary f1 | multiclass macro_f1 | regression rmse
    predictions_path: str = "output/predictions.csv"
    reference: dict[str, float] = field(default_factory=dict)


@dataclass
class SourceFile:
    """A Python file of the submission, decoded and parsed once (or why it could not be)."""

    path: str
    text: str | None
    tree: ast.Module | None
    problem: str | None = None

    @property
    def lines(self) -> list[str]:
        return (self.text or "").splitlines()


@dataclass
class CheckContext:
    """Everything the checks may look at for one submission."""

    root: Path
    python_files: list[str]
    notebooks: list[str]
    readme: str | None
    run_script: str | None
    requirement_files: list[str]
    all_files: list[str] = field(default_factory=list)  # every file of the submission, caches included
    dataset_file: str = ""  # the round's data file as the paper names it, e.g. data/<file>.db
    dataset_columns: tuple[str, ...] = ()
    target: str = ""
    run: RunResult | None = None  # the run dynamic evidence comes from: the assisted re-run when there was one
    submitted_run: RunResult | None = None  # the run of the submission as submitted (pipeline.design)
    probe_runs: dict[str, RunResult] = field(default_factory=dict)  # robustness probe name -> its run
    notebook_run: RunResult | None = None  # re-execution of the EDA notebook in the sandbox
    repeat_run: RunResult | None = None  # a second identical run, for the reproducibility check
    environment: dict | None = None  # what installing the candidate's requirements did (grader.run.requirements)
    heldout: HeldoutTask | None = None
    settings: dict[str, object] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict, repr=False)  # parsed inputs shared by several checks

    @cached_property
    def sources(self) -> list[SourceFile]:
        """The submission's .py files, read with a size cap and parsed without importing anything."""
        return [read_source(self.root, rel) for rel in self.python_files]

    @property
    def parsed_sources(self) -> list[SourceFile]:
        """The .py files that parsed: what AST checks can measure."""
        return [s for s in self.sources if s.tree is not None]

    @property
    def source_problems(self) -> list[str]:
        """Why some .py files could not be analysed (not UTF-8, Python 2 syntax, too large)."""
        return [s.problem for s in self.sources if s.problem]

    @cached_property
    def config_files(self) -> dict[str, str]:
        """The submission's configuration files (at most two folders deep, hidden ones skipped): path -> text."""
        return {rel: self.read_text(rel) or "" for rel in self.all_files
                if rel.lower().endswith(CONFIG_SUFFIXES) and "/." not in rel and rel.count("/") <= 2}

    @property
    def config_text(self) -> str:
        """All configuration files' text in one string (capped)."""
        return "\n".join(self.config_files.values())[:500_000]

    def read_text(self, rel: str, limit: int = MAX_SOURCE_BYTES) -> str | None:
        path = self.root / rel
        if not path.is_file() or path.is_symlink():
            return None
        with path.open("rb") as fh:
            data = fh.read(limit)
        return data.decode("utf-8", errors="replace")


def read_source(root: Path, rel: str) -> SourceFile:
    path = root / rel
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return SourceFile(rel, None, None, f"{rel}: {size} bytes, over the {MAX_SOURCE_BYTES}-byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        return SourceFile(rel, None, None, f"{rel}: cannot be read ({exc.strerror})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SourceFile(rel, raw.decode("utf-8", "replace"), None,
                          f"{rel}: not UTF-8 (byte {exc.start}); the file cannot be analysed")
    try:
        tree = ast.parse(text, filename=rel)
    except SyntaxError as exc:
        hint = " (Python 2 syntax?)" if "print" in (exc.text or "") else ""
        return SourceFile(rel, text, None, f"{rel}:{exc.lineno}: syntax error{hint}: {exc.msg}")
    except (RecursionError, MemoryError, ValueError) as exc:
        return SourceFile(rel, text, None, f"{rel}: cannot be parsed ({type(exc).__name__})")
    return SourceFile(rel, text, tree)
