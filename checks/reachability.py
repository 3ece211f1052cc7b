"""Which .py files of a submission run: what run.sh invokes, followed through its imports, plus the notebook's.

Pure `ast` and text reading: nothing of the candidate's is imported or executed. The scripts and
`python -m` modules run.sh names (nested shell scripts followed) are the entries; from each, every
import that resolves to a file of the submission is followed, as are string literals naming one of
its .py files (subprocess, runpy) and `importlib.import_module("...")`. Modules the notebooks import
count as used too. Everything else is unused code. Without run.sh, or when it names nothing that
resolves, every .py file counts (and the scope says so).
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field

from checks.base import ERROR, NOT_APPLICABLE, Check, Evidence
from checks.context import MAX_SOURCE_BYTES, CheckContext, SourceFile

MAX_SHELL_SCRIPTS = 10
MAX_SHELL_BYTES = 200_000
MAX_NOTEBOOK_BYTES = 20_000_000
MAX_LISTED = 500  # file lists kept in evidence data (JSON-sized)
PYTHON = re.compile(r"^python(\d(\.\d+)?)?$")
OPTIONS_WITH_VALUE = {"-W", "-X", "-Q", "--check-hash-based-pycs"}
TEST_FILE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)")
SHELLS = ("bash", "sh", ".", "source")
MODE_RUN_SH = "run.sh"
MODE_ALL = "all files"
# The code scope metrics every check built on measured_code emits (Scope.metrics).
SCOPE_METRICS = {"measured_files": ".py files measured: run.sh's entry points and what they import (count)",
                 "unused_files": ".py files nothing run.sh runs imports, not measured (count)",
                 "unused_fraction": "share 0-1 of the .py files that are unused",
                 "scope": "how the measured files were chosen (text: run.sh, or all files as a fallback)"}


@dataclass
class Scope:
    """The code quality scope: the files measured, the files nothing runs, and how they were found."""

    mode: str  # MODE_RUN_SH, or MODE_ALL when falling back
    entries: list[str] = field(default_factory=list)  # the files run.sh runs
    measured: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # not reached, tests excluded
    tests: list[str] = field(default_factory=list)  # test code: not run by run.sh, not counted as unused
    note: str = ""

    @property
    def unused_fraction(self) -> float:
        total = len(self.measured) + len(self.unused)
        return round(len(self.unused) / total, 3) if total else 0.0

    def metrics(self) -> dict[str, int | float | str]:
        """The scope as evidence metrics (scalars only)."""
        return {"measured_files": len(self.measured), "unused_files": len(self.unused),
                "unused_fraction": self.unused_fraction, "scope": self.mode}

    def data(self) -> dict[str, object]:
        """The scope as JSON-serialisable evidence data (lists capped)."""
        return {"mode": self.mode, "entries": self.entries[:MAX_LISTED], "measured": self.measured[:MAX_LISTED],
                "unused": self.unused[:MAX_LISTED], "tests": self.tests[:MAX_LISTED], "note": self.note}

    def findings(self) -> list[str]:
        """What an assessor should know about the scope: the fallback, the unused files."""
        out = [self.note] if self.note else []
        if self.unused:
            shown = ", ".join(self.unused[:12]) + (f" and {len(self.unused) - 12} more" if len(self.unused) > 12
                                                   else "")
            out.append(f"unused code: {len(self.unused)} .py file(s) ({self.unused_fraction:.0%}) that nothing "
                       f"run.sh runs imports are not measured: {shown}")
        if self.tests:
            out.append(f"{len(self.tests)} test file(s) are not part of the pipeline run and are not measured")
        return out


def code_scope(ctx: CheckContext) -> Scope:
    """The scope of the code quality checks, computed once per context (ctx.memo)."""
    if "code_scope" not in ctx.memo:
        ctx.memo["code_scope"] = _compute(ctx)
    return ctx.memo["code_scope"]


def _limited(ctx: CheckContext, scope: Scope) -> list[str]:
    """The measured files the grader cannot read because of its own size limit, each with the limit."""
    out = []
    for rel in scope.measured:
        path = ctx.root / rel
        size = path.stat().st_size if path.is_file() and not path.is_symlink() else 0
        if size > MAX_SOURCE_BYTES:
            out.append(f"{rel}: {size:,} bytes, over the grader's {MAX_SOURCE_BYTES:,}-byte limit for analysing a "
                       f"source file")
    return out


def measured_code(check: Check, ctx: CheckContext) -> tuple[list[SourceFile], Scope] | Evidence:
    """The parsed files in scope and the scope, or the evidence to return when there is nothing to measure.

    A file in scope over the grader's size limit is the grader's limit, not the candidate's fault: ERROR."""
    scope = code_scope(ctx)
    limited = _limited(ctx, scope)
    if limited:
        return check.evidence(ERROR, f"the grader could not measure the code: {limited[0]}",
                              findings=[f"grader limit: {text}" for text in limited] + scope.findings(),
                              metrics=scope.metrics(), data={"scope": scope.data()}, confidence=0.0)
    measured = set(scope.measured)
    sources = [s for s in ctx.parsed_sources if s.path in measured]
    if not sources:
        problems = [s.problem for s in ctx.sources if s.problem and s.path in measured]
        return check.evidence(NOT_APPLICABLE, "no parseable .py file in the code run.sh runs"
                              if scope.mode != MODE_ALL else "no parseable .py file",
                              findings=problems + scope.findings(), metrics=scope.metrics(),
                              data={"scope": scope.data()})
    return sources, scope


def scope_findings(ctx: CheckContext, scope: Scope) -> list[str]:
    """Why some measured files could not be analysed (the candidate's: not UTF-8, syntax), then the scope."""
    measured = set(scope.measured)
    return [s.problem for s in ctx.sources if s.problem and s.path in measured] + scope.findings()


def _compute(ctx: CheckContext) -> Scope:
    files = sorted(ctx.python_files)
    if not ctx.run_script:
        return Scope(MODE_ALL, measured=files, note="no run.sh: code quality is measured on all .py files")
    cwds, entries, modules = _shell_entries(ctx)
    graph = _ImportGraph(ctx, cwds)
    for path in entries:
        graph.add_script(path)
    for module in modules:
        graph.add_module(module)
    if not graph.entries:
        return Scope(MODE_ALL, measured=files,
                     note="run.sh names no script or module of the submission: code quality is measured on all "
                          ".py files")
    for notebook in ctx.notebooks:
        graph.add_notebook(notebook)
    graph.follow()
    reached = graph.reached
    rest = [f for f in files if f not in reached]
    tests = [f for f in rest if TEST_FILE.search(f)]
    return Scope(MODE_RUN_SH, entries=sorted(graph.entries), measured=[f for f in files if f in reached],
                 unused=[f for f in rest if f not in tests], tests=tests)


# ---------------------------------------------------------------- run.sh


def _commands(text: str) -> list[list[str]]:
    """The simple commands of a shell script, as word lists (comments, continuations and operators handled)."""
    text = text.replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        for part in re.split(r"&&|\|\||[;|&()]|\bthen\b|\bdo\b|\belse\b", line):
            try:
                words = shlex.split(part, comments=True)
            except ValueError:
                words = part.split()
            if words:
                out.append(words)
    return out


@dataclass
class _Shell:
    """What run.sh (and the shell scripts it runs) hands to Python."""

    roots: list[str] = field(default_factory=lambda: [""])  # sys.path candidates: cd targets, PYTHONPATH
    scripts: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    nested: list[str] = field(default_factory=list)

    def command(self, words: list[str], cwd: str) -> str:
        """Record one simple command run from `cwd`; returns the folder the next command runs in."""
        self.roots += _pythonpath(words, cwd)
        words = [w for w in words if not re.match(r"^\w+=", w) and w != "export"]  # FOO=bar python ...
        if not words:
            return cwd
        if len(words) >= 2 and words[0] in ("cd", "pushd"):
            cwd = _norm(posixpath.join(cwd, words[1])) or ""
            self.roots.append(cwd)
        self.scripts += [posixpath.join(cwd, w) for w in words if w.endswith(".py")]
        self.modules += _python_modules(words)
        self.nested += _shell_scripts(words, cwd)
        return cwd


def _shell_scripts(words: list[str], cwd: str) -> list[str]:
    """The shell script a command runs (`bash x.sh`, `source x.sh`, `./x.sh`), if any."""
    named = words[1:2] if words[0] in SHELLS else words[:1]
    return [p for p in (_norm(posixpath.join(cwd, w)) for w in named if w.endswith(".sh")) if p]


def _shell_entries(ctx: CheckContext) -> tuple[list[str], list[str], list[str]]:
    """(sys.path candidates: folders run.sh cds into or puts on PYTHONPATH; scripts it runs; -m modules)."""
    shell = _Shell(nested=[ctx.run_script])
    seen: set[str] = set()
    while shell.nested and len(seen) < MAX_SHELL_SCRIPTS:
        script = shell.nested.pop(0)
        if script in seen:
            continue
        seen.add(script)
        cwd = ""
        for words in _commands(ctx.read_text(script, MAX_SHELL_BYTES) or ""):
            cwd = shell.command(words, cwd)
    return list(dict.fromkeys(shell.roots)), shell.scripts, shell.modules


def _pythonpath(words: list[str], cwd: str) -> list[str]:
    """The folders a `PYTHONPATH=...` word puts on sys.path."""
    found = []
    for word in words:
        if word.startswith("PYTHONPATH="):
            values = word.split("=", 1)[1].split(":")
            found += [p for p in (_norm(posixpath.join(cwd, v or ".")) for v in values) if p is not None]
    return found


def _python_modules(words: list[str]) -> list[str]:
    """The modules of `python [options] -m MODULE` in one command."""
    starts = [i for i, w in enumerate(words) if PYTHON.match(posixpath.basename(w))]
    found = []
    for start in starts:
        i = start + 1
        while i < len(words) and words[i].startswith("-"):
            if words[i] == "-m" and i + 1 < len(words):
                found.append(words[i + 1])
                break
            if words[i] == "-c":
                break
            i += 2 if words[i] in OPTIONS_WITH_VALUE else 1
    return found


def _norm(path: str) -> str | None:
    """A path relative to the submission root, or None when it leaves it."""
    if path.startswith("/") or "$" in path:
        return None
    path = posixpath.normpath(path)
    return None if path == ".." or path.startswith("../") else ("" if path == "." else path)


# ---------------------------------------------------------------- imports


class _ImportGraph:
    """The files reached from the entries through imports that resolve inside the submission."""

    def __init__(self, ctx: CheckContext, cwds: list[str]) -> None:
        self.ctx = ctx
        self.files = set(ctx.python_files)
        self.sources: dict[str, SourceFile] = {s.path: s for s in ctx.sources}
        self.roots = list(cwds)  # sys.path candidates: where run.sh runs, the scripts' folders
        self.entries: set[str] = set()
        self.reached: set[str] = set()
        self.queue: list[str] = []

    def _reach(self, path: str) -> None:
        if path in self.files and path not in self.reached:
            self.reached.add(path)
            self.queue.append(path)

    def add_script(self, word: str) -> None:
        for cwd in self.roots:
            path = _norm(posixpath.join(cwd, word))
            if path in self.files:
                self.entries.add(path)
                folder = posixpath.dirname(path)
                if folder not in self.roots:
                    self.roots.append(folder)
                self._reach(path)
                return

    def add_module(self, dotted: str) -> None:
        for cwd in self.roots:
            found = self._module_files(cwd, dotted, main=True)
            if found:
                self.entries.add(found[-1])
                for path in found:
                    self._reach(path)
                return

    def add_notebook(self, rel: str) -> None:
        text = self.ctx.read_text(rel, MAX_NOTEBOOK_BYTES)
        try:
            cells = json.loads(text or "").get("cells", [])
        except (ValueError, AttributeError, RecursionError):
            return
        folder = posixpath.dirname(rel)
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            for match in re.finditer(r"^\s*%run\s+(\S+\.py)", source, re.MULTILINE):
                self.add_script(posixpath.join(folder, match.group(1)))
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            try:
                tree = ast.parse(code)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            self._imports(tree, f"{folder}/__notebook__.py" if folder else "__notebook__.py")

    def follow(self) -> None:
        while self.queue:
            path = self.queue.pop()
            source = self.sources.get(path)
            if source is not None and source.tree is not None:
                self._imports(source.tree, path)

    def _imports(self, tree: ast.AST, importer: str) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self._absolute(alias.name, importer)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node, importer)
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and _called(node) in ("import_module", "__import__",
                                                                                   "run_module"):
                self._absolute(node.args[0].value, importer)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".py") \
                    and len(node.value) < 300:
                self._named_script(node.value, importer)

    def _named_script(self, text: str, importer: str) -> None:
        for base in (posixpath.dirname(importer), *self.roots):
            path = _norm(posixpath.join(base, text))
            if path in self.files:
                self._reach(path)
                return

    def _absolute(self, dotted: str, importer: str) -> None:
        for root in [*self.roots, posixpath.dirname(importer)]:
            found = self._module_files(root, dotted)
            if found:
                for path in found:
                    self._reach(path)
                return

    def _import_from(self, node: ast.ImportFrom, importer: str) -> None:
        names = [a.name for a in node.names if a.name != "*"]
        module = node.module or ""
        for base in _from_bases(node.level, importer, self.roots):
            found = self._module_files(base, module) if module else [f for f in [_init(base)] if f in self.files]
            package = posixpath.join(base, *module.split(".")) if module else base
            submodules = [p for name in names for p in self._module_files(package, name)]
            if found or submodules:
                for path in found + submodules:
                    self._reach(path)
                return

    def _module_files(self, root: str, dotted: str, main: bool = False) -> list[str]:
        """The files importing `dotted` from sys.path entry `root` executes (package __init__s first)."""
        parts = [p for p in dotted.split(".") if p]
        if not parts or root is None:
            return []
        found, folder = [], root
        for part in parts[:-1]:
            folder = posixpath.join(folder, part) if folder else part
            if _init(folder) in self.files:
                found.append(_init(folder))
        last = posixpath.join(folder, parts[-1]) if folder else parts[-1]
        if last + ".py" in self.files:
            return found + [last + ".py"]
        package = [f for f in (_init(last), posixpath.join(last, "__main__.py") if main else None) if f in self.files]
        if package:
            return found + package
        return []


def _from_bases(level: int, importer: str, roots: list[str]) -> list[str]:
    """Where `from ... import` looks: the importer's package for a relative import, else sys.path."""
    if not level:
        return [*roots, posixpath.dirname(importer)]
    base = posixpath.dirname(importer)
    for _ in range(level - 1):
        base = posixpath.dirname(base)
    return [base]


def _init(folder: str) -> str:
    return posixpath.join(folder, "__init__.py") if folder else "__init__.py"


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
