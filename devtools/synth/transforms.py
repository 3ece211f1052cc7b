"""Semantics-preserving obfuscation attacks on submissions, for the plagiarism benchmark.

Each source transform takes Python source and returns Python source with the same behaviour (analysis with `ast`,
rewriting by exact token positions so the formatting is kept). `ATTACKS` applies one to a whole submission folder:
every .py module and every notebook code cell (where it parses); files that do not parse are copied unchanged.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import keyword
import random
import re
import shutil
import tempfile
import tokenize
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXCLUDED_FILES = frozenset({"EXPECTED.toml", "ATTACK.toml"})
EXCLUDED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".git", ".venv", "output"})
BUILTIN_NAMES = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
NEVER_RENAME = frozenset({"self", "cls", "_", "__name__", "__file__", "__doc__", "__all__"})
MAGIC_MARK = "__aie_magic_{}__"

# ----------------------------------------------------------------------------------------------- text editing


class _Editor:
    """Collects (start, end, replacement) edits on a text, addressed by ast/tokenize positions; applies them at once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.edits: list[tuple[int, int, int, str]] = []

    def offset(self, row: int, col: int) -> int:
        """Character offset of a 1-based row and a character column."""
        return self.starts[row - 1] + col

    def char_col(self, row: int, byte_col: int) -> int:
        """ast columns count UTF-8 bytes; tokenize and str slicing count characters."""
        line = self.lines[row - 1] if row - 1 < len(self.lines) else ""
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def at(self, row: int, byte_col: int) -> int:
        return self.offset(row, self.char_col(row, byte_col))

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def insert_line(self, row: int, new_lines: str) -> None:
        """Insert whole lines (ending with a newline) before 1-based row."""
        self.replace(self.starts[row - 1], self.starts[row - 1], new_lines)

    def apply(self) -> str:
        out, pos = [], 0
        for start, end, _, new in sorted(self.edits, key=lambda e: (e[0], e[1], e[2])):
            if start < pos:  # overlapping edit: keep the first one
                continue
            out.append(self.text[pos:start])
            out.append(new)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent_unit(text: str) -> str:
    return "\t" if re.search(r"^\t", text, re.MULTILINE) else "    "


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


# ----------------------------------------------------------------------------------------------- fresh names

_VERBS = ("build", "make", "compute", "get", "prepare", "run", "apply", "handle", "process", "create", "derive",
          "fetch", "produce", "assemble", "resolve", "collect", "extract", "transform", "evaluate", "fit")
_NOUNS = ("frame", "table", "record", "values", "result", "item", "entry", "batch", "matrix", "vector", "store",
          "bundle", "payload", "series", "column", "sample", "chunk", "block", "unit", "spec", "params", "report",
          "output", "source", "target", "score", "holder", "buffer", "node", "field")
_ADJS = ("raw", "tmp", "new", "base", "main", "aux", "full", "local", "prepared", "final", "working", "current",
         "cached", "parsed", "merged", "clean", "inner", "outer", "primary", "extra")


class _NameMaker:
    """Fresh identifiers in the style of the original (CapWords, UPPER_CASE, verb_noun, noun), never colliding."""

    def __init__(self, rng: random.Random, taken: Iterable[str]) -> None:
        self.rng = rng
        self.taken = set(taken) | BUILTIN_NAMES

    def fresh(self, like: str = "", kind: str = "var") -> str:
        lead = re.match(r"_*", like).group(0) if like else ""
        for attempt in range(200):
            if kind == "func":
                words = [self.rng.choice(_VERBS), self.rng.choice(_NOUNS)]
            elif self.rng.random() < 0.5:
                words = [self.rng.choice(_ADJS), self.rng.choice(_NOUNS)]
            else:
                words = [self.rng.choice(_NOUNS)]
            if attempt > 20:
                words.append(str(self.rng.randint(2, 999)))
            core = like.lstrip("_")
            if re.fullmatch(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*", core):
                name = "".join(w.capitalize() for w in words)
            elif core.isupper() and len(core) > 1:
                name = "_".join(words).upper()
            else:
                name = "_".join(words)
            name = lead + name
            if name not in self.taken and name.isidentifier():
                self.taken.add(name)
                return name
        raise RuntimeError("could not make a fresh identifier")


def _all_identifiers(sources: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in sources:
        found.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    return found


# ----------------------------------------------------------------------------------------------- renaming

_DYNAMIC_CALLS = frozenset({"globals", "locals", "vars", "eval", "exec", "__import__"})
_STRING_ATTR_CALLS = frozenset({"getattr", "setattr", "hasattr", "delattr"})


@dataclass
class _UnitInfo:
    """What the rename planner learns about one module or notebook (its pieces share one namespace)."""

    pieces: list[tuple[str, ast.Module]]
    module_names: frozenset[str] = frozenset()
    defined: set[str] = field(default_factory=set)
    protected: set[str] = field(default_factory=set)
    sub_imported: set[str] = field(default_factory=set)
    module_aliases: set[str] = field(default_factory=set)
    star_from_submission: bool = False
    non_call_refs: set[str] = field(default_factory=set)
    starred_callees: set[str] = field(default_factory=set)


class _Collector(ast.NodeVisitor):
    """Walks one piece with a scope stack, filling a _UnitInfo and the submission-wide function table."""

    def __init__(self, info: _UnitInfo, known_modules: frozenset[str],
                 func_params: dict[str, set[str]], method_params: set[str]) -> None:
        self.info = info
        self.known = known_modules
        self.func_params = func_params
        self.method_params = method_params
        self.scopes: list[str] = ["module"]
        self.callees: set[int] = set()

    def _bind(self, name: str) -> None:
        if self.scopes[-1] == "class":
            self.info.protected.add(name)
        else:
            self.info.defined.add(name)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        params = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
        params += [a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None]
        in_class = self.scopes[-1] == "class"
        if isinstance(node, ast.Lambda):
            self.info.defined.update(params)
        else:
            for deco in node.decorator_list:
                self.visit(deco)
            self._bind(node.name)
            if in_class:
                self.method_params.update(params)
            else:
                self.func_params.setdefault(node.name, set()).update(params)
                self.info.defined.update(params)
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None:
                self.visit(default)
        if not isinstance(node, ast.Lambda):
            for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs, node.args.vararg,
                        node.args.kwarg):
                if arg is not None and arg.annotation is not None:
                    self._annotation(arg.annotation)
            if node.returns is not None:
                self._annotation(node.returns)
        self.scopes.append("function")
        for stmt in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(stmt)
        self.scopes.pop()

    def _annotation(self, node: ast.expr) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                self.info.protected.update(re.findall(r"[A-Za-z_]\w*", sub.value))
        self.visit(node)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for sub in (*node.decorator_list, *node.bases, *node.keywords):
            self.visit(sub)
        self._bind(node.name)
        self.scopes.append("class")
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()

    def _comprehension(self, node: ast.AST) -> None:
        self.scopes.append("function")
        self.generic_visit(node)
        self.scopes.pop()

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_DictComp = _comprehension
    visit_GeneratorExp = _comprehension

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._annotation(node.annotation)
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store | ast.Del):
            self._bind(node.id)
        elif id(node) not in self.callees:
            self.info.non_call_refs.add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if id(node) not in self.callees:
            self.info.non_call_refs.add(node.attr)
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        self.callees.add(id(node.func))
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else None
        if name in _DYNAMIC_CALLS:
            self.info.protected.add("*all*")
        if name in _STRING_ATTR_CALLS and len(node.args) >= 2:
            if isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                self.info.protected.add(node.args[1].value)
            elif isinstance(node.args[0], ast.Name) and node.args[0].id in self.info.module_aliases:
                self.info.protected.add("*all*")
        if name is not None and any(kw.arg is None for kw in node.keywords):
            self.info.starred_callees.add(name)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self._bind(node.name)
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.info.defined.update(node.names)

    visit_Nonlocal = visit_Global

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.info.protected.add(bound)
            if alias.name in self.known:
                self.info.module_aliases.add(bound)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        submission = node.level > 0 or module in self.known
        for alias in node.names:
            if alias.name == "*":
                self.info.star_from_submission |= submission
                continue
            if alias.asname:
                self.info.protected.add(alias.asname)
            full = f"{module}.{alias.name}" if module else alias.name
            if submission and (full in self.known or (node.level > 0 and alias.name in self.known)):
                self.info.module_aliases.add(alias.asname or alias.name)
                self.info.protected.add(alias.asname or alias.name)
            elif submission:
                self.info.sub_imported.add(alias.name)
            else:
                self.info.protected.add(alias.asname or alias.name)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == "__all__" and isinstance(node.value, ast.List | ast.Tuple):
                self.info.protected.update(e.value for e in node.value.elts
                                           if isinstance(e, ast.Constant) and isinstance(e.value, str))
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.info.protected.add(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.info.protected.add(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.info.protected.add(node.rest)
        self.generic_visit(node)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


class _RenamePlan:
    """A submission-wide, by-name rename map plus the per-unit sets of names that may be rewritten there."""

    def __init__(self, units: list[_UnitInfo], rng: random.Random, protected: frozenset[str],
                 known_modules: frozenset[str]) -> None:
        self.units = units
        self.known = known_modules
        self.func_params: dict[str, set[str]] = {}
        method_params: set[str] = set()
        for unit in units:
            for _, tree in unit.pieces:
                collector = _Collector(unit, known_modules, self.func_params, method_params)
                for stmt in tree.body:  # imports first, so module aliases are known to getattr checks
                    if isinstance(stmt, ast.Import | ast.ImportFrom):
                        collector.visit(stmt)
                collector.visit(tree)
        guard = set(protected) | method_params | NEVER_RENAME
        for unit in units:
            if "*all*" in unit.protected:
                guard |= unit.defined
            guard |= unit.protected
        user_funcs = set(self.func_params)
        for unit in units:
            for fn in user_funcs & (unit.non_call_refs | unit.starred_callees):
                guard |= self.func_params[fn]
        defined = set().union(*(u.defined for u in units)) if units else set()
        candidates = sorted(n for n in defined if n not in guard and n not in BUILTIN_NAMES
                            and not (n.startswith("__") and n.endswith("__")))
        maker = _NameMaker(rng, _all_identifiers(text for u in units for text, _ in u.pieces))
        funcs_and_classes = user_funcs | {n for u in units for _, t in u.pieces for n in
                                          (c.name for c in ast.walk(t) if isinstance(c, ast.ClassDef))}
        self.mapping = {n: maker.fresh(n, "func" if n in funcs_and_classes and not n[:1].isupper() else "var")
                        for n in candidates}

    def rewrite(self, unit: _UnitInfo, text: str, tree: ast.Module) -> str:
        """Rewrite one piece of a unit with the plan."""
        allowed = (unit.defined | unit.sub_imported) & self.mapping.keys()
        if unit.star_from_submission:
            allowed = set(self.mapping)
        ed = _Editor(text)
        mapping = self.mapping

        def put(row: int, byte_col: int, old: str) -> None:
            start = ed.at(row, byte_col)
            if text[start: start + len(old)] != old:
                raise _PositionMismatch(old)
            ed.replace(start, start + len(old), mapping[old])

        def put_in_span(node: ast.AST, pattern: str, name: str) -> None:
            start = ed.at(node.lineno, node.col_offset)
            end = ed.at(node.end_lineno or node.lineno, node.end_col_offset or 0)
            match = re.compile(pattern).search(text, start, end)
            if match is None:
                raise _PositionMismatch(name)
            ed.replace(match.start(1), match.end(1), mapping[name])

        class_bodies: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                class_bodies.update(id(s) for s in node.body)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in allowed:
                put(node.lineno, node.col_offset, node.id)
            elif isinstance(node, ast.arg) and node.arg in allowed:
                put(node.lineno, node.col_offset, node.arg)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name in allowed \
                    and id(node) not in class_bodies:
                word = "class" if isinstance(node, ast.ClassDef) else "def"
                put_in_span(node, rf"\b{word}\s+({re.escape(node.name)})\b", node.name)
            elif isinstance(node, ast.ExceptHandler) and node.name in allowed:
                put_in_span(node, rf"\bas\s+({re.escape(node.name)})\b", node.name)
            elif isinstance(node, ast.Global | ast.Nonlocal):
                for name in node.names:
                    if name in allowed:
                        put_in_span(node, rf"[\s,]({re.escape(name)})\b", name)
            elif isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "") in self.known):
                for alias in node.names:
                    if alias.name in allowed and alias.name in unit.sub_imported:
                        put(alias.lineno, alias.col_offset, alias.name)
            elif isinstance(node, ast.Call):
                callee = node.func.id if isinstance(node.func, ast.Name) and \
                    node.func.id in unit.defined | unit.sub_imported | set(allowed) else None
                if isinstance(node.func, ast.Attribute) and self._module_ref(node.func.value, unit):
                    callee = node.func.attr
                if callee in self.func_params:  # a user function (renamed or not): its renamed parameters
                    for kw in node.keywords:
                        if kw.arg and kw.arg in mapping and kw.arg in self.func_params[callee]:
                            put(kw.lineno, kw.col_offset, kw.arg)
            elif isinstance(node, ast.Attribute) and node.attr in mapping and self._module_ref(node.value, unit):
                row, end = node.end_lineno or node.lineno, ed.char_col(node.end_lineno or node.lineno,
                                                                       node.end_col_offset or 0)
                start = ed.offset(row, end - len(node.attr))
                if text[start: start + len(node.attr)] != node.attr:
                    raise _PositionMismatch(node.attr)
                ed.replace(start, start + len(node.attr), mapping[node.attr])
        return ed.apply()

    def _module_ref(self, node: ast.expr, unit: _UnitInfo) -> bool:
        dotted = _dotted(node)
        if dotted is None:
            return False
        if dotted in unit.module_aliases:
            return True
        return dotted in self.known and dotted.split(".")[0] in unit.protected


class _PositionMismatch(Exception):
    """An ast position did not point at the expected identifier (e.g. inside an unusual f-string)."""


def _module_names(rel: Path) -> set[str]:
    """Every dotted name a submission file may be imported as (`src.features`, `features`; packages too)."""
    parts = list(rel.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    names = {".".join(parts[i:]) for i in range(len(parts))}
    for i in range(1, len(parts)):  # the packages on the way (`src`)
        names.add(".".join(parts[:i]))
    return {n for n in names if n}


def _rename_units(units: list[_UnitInfo], rng: random.Random, protected: frozenset[str],
                  known: frozenset[str]) -> list[list[str]]:
    """Plan and rewrite; a name whose position cannot be verified is protected everywhere and the plan redone."""
    extra: set[str] = set()
    for _ in range(50):
        fresh_units = [_UnitInfo(pieces=u.pieces, module_names=u.module_names) for u in units]
        plan = _RenamePlan(fresh_units, random.Random(rng.random()), protected | frozenset(extra), known)
        try:
            return [[plan.rewrite(unit, text, tree) for text, tree in unit.pieces] for unit in fresh_units]
        except _PositionMismatch as exc:
            extra.add(str(exc))
    return [[text for text, _ in unit.pieces] for unit in units]


def rename_identifiers(source: str, rng: random.Random, protected: frozenset[str] = frozenset()) -> str:
    """Rename the names this module defines (functions, classes, parameters, variables) to fresh ones, consistently.

    Builtins, imported names, attributes, class-level names, method parameters, keywords of calls to outside
    functions, dunders and `protected` names are kept; the rewrite is positional, so formatting is unchanged.
    """
    tree = _parse(source)
    if tree is None:
        return source
    return _rename_units([_UnitInfo(pieces=[(source, tree)])], rng, frozenset(protected), frozenset())[0][0]


# ----------------------------------------------------------------------------------------------- reordering

def _def_time_names(node: ast.stmt) -> set[str]:
    """Names a def/class block evaluates when it is defined (decorators, defaults, bases, class bodies)."""
    exprs: list[ast.AST] = []
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        exprs += [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        exprs += [a.annotation for a in (*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs) if
                  a.annotation]
        if node.returns:
            exprs.append(node.returns)
    elif isinstance(node, ast.ClassDef):
        exprs += [*node.decorator_list, *node.bases, *node.keywords]
        for stmt in node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                exprs += [*stmt.decorator_list, *stmt.args.defaults, *(d for d in stmt.args.kw_defaults if d)]
            else:
                exprs.append(stmt)
    names: set[str] = set()
    for expr in exprs:
        names.update(n.id for n in ast.walk(expr) if isinstance(n, ast.Name))
    return names


def reorder_functions(source: str, rng: random.Random) -> str:
    """Shuffle runs of consecutive top-level def/class blocks (with their decorators and leading comments).

    Imports and other module-level statements stay where they are; a block that uses another at definition time
    (decorator, default value, base class, class body) stays after it.
    """
    tree = _parse(source)
    if tree is None or not tree.body:
        return source
    lines = source.splitlines(keepends=True)
    body = tree.body
    future_annotations = any(isinstance(s, ast.ImportFrom) and s.module == "__future__" and
                             any(a.name == "annotations" for a in s.names) for s in body)

    def first_line(node: ast.stmt) -> int:
        return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])

    # each top-level statement owns the lines from the end of the previous one to its own end
    spans: list[tuple[int, int]] = []
    prev_end = 0
    for node in body:
        start, end = first_line(node), node.end_lineno or node.lineno
        if start <= prev_end:  # two statements on one line: leave the module alone
            return source
        spans.append((prev_end, end))
        prev_end = end
    tail = "".join(lines[prev_end:])
    chunks = ["".join(lines[a:b]) for a, b in spans]
    is_block = [isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in body]
    out: list[str] = []
    i = 0
    while i < len(body):
        if not is_block[i]:
            out.append(chunks[i])
            i += 1
            continue
        j = i
        while j < len(body) and is_block[j]:
            j += 1
        run = list(range(i, j))
        defines = {k: body[k].name for k in run}  # type: ignore[attr-defined]
        needs = {k: _def_time_names(body[k]) for k in run}
        if not future_annotations:
            for k in run:
                node = body[k]
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for a in (*node.args.args, *node.args.kwonlyargs):
                        if a.annotation:
                            needs[k].update(n.id for n in ast.walk(a.annotation) if isinstance(n, ast.Name))

        # blocks that define the same name or use each other at definition time keep their relative order
        tied = {(a, b) for a in run for b in run if a < b and (
            defines[a] == defines[b] or defines[a] in needs[b] or defines[b] in needs[a])}
        order: list[int] = []
        remaining = list(run)
        while remaining:
            ready = [k for k in remaining if not any((d, k) in tied for d in remaining)]
            pick = rng.choice(ready)
            order.append(pick)
            remaining.remove(pick)
        pieces = [chunks[k] for k in order]
        # keep the run's first separator (blank lines after the previous statement) in front
        pieces = [_normalise_gap(p) for p in pieces]
        lead = re.match(r"(?:[ \t]*\r?\n)*", chunks[i]).group(0)
        out.append(lead + pieces[0].lstrip("\r\n") if pieces else "")
        out.extend(pieces[1:])
        i = j
    return "".join(out) + tail


def _normalise_gap(chunk: str) -> str:
    """Make a moved block start with two blank lines (PEP 8 spacing between top-level blocks)."""
    stripped = chunk.lstrip(" \t\r\n")
    nl = _newline(chunk)
    return nl + nl + stripped if stripped else chunk


# ----------------------------------------------------------------------------------------------- comments, literals

_SYNONYMS = {
    "load": "read", "loaded": "read", "loading": "reading", "read": "load", "save": "write", "saved": "wrote",
    "saving": "writing", "write": "save", "wrote": "saved", "rows": "records", "records": "rows", "row": "record",
    "data": "dataset", "dataset": "data", "model": "estimator", "models": "estimators", "train": "fit",
    "training": "fitting", "fit": "train", "error": "problem", "errors": "problems", "missing": "absent",
    "found": "located", "best": "top", "compute": "calculate", "computes": "calculates", "calculate": "compute",
    "remove": "drop", "removes": "drops", "drop": "remove", "drops": "removes", "create": "build",
    "creates": "builds", "build": "create", "builds": "creates", "return": "give back", "returns": "gives back",
    "column": "field", "columns": "fields", "value": "entry", "values": "entries", "file": "document",
    "check": "verify", "checks": "verifies", "run": "execute", "runs": "executes", "split": "partition",
    "score": "metric", "scores": "metrics", "predict": "forecast", "starting": "beginning", "start": "begin",
    "finished": "completed", "done": "complete", "using": "with", "each": "every", "every": "each",
    "invalid": "bad", "cannot": "can't", "could": "might", "parse": "interpret", "clean": "tidy",
    "cleaning": "tidying", "feature": "attribute", "features": "attributes", "helper": "utility",
    "number": "count", "threshold": "cut-off", "evaluate": "assess", "evaluation": "assessment",
}
_GENERIC_COMMENTS = ("step", "process the data", "main logic", "helper section", "do the work here",
                     "prepare inputs", "see notes above", "keep this simple", "intermediate results",
                     "handle the usual case", "TODO: tidy up later", "next stage")
_KEEP_COMMENT = re.compile(r"^#\s*(?:!|-\*-|.*coding[:=]|noqa|type:|pragma|pylint:|fmt:|%%|ruff:|isort:)", re.I)
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})


def _reword(text: str, rng: random.Random, keep_braces: bool = True) -> str:
    """Swap common words for synonyms (case kept), never inside {...} fields or right after a backslash."""
    out, i, depth = [], 0, 0
    for match in re.finditer(r"\{\{|\}\}|[{}]|(?<!\\)\b[A-Za-z][a-z']{2,}\b", text):
        token = match.group(0)
        out.append(text[i:match.start()])
        i = match.end()
        if token in ("{{", "}}"):
            out.append(token)
        elif token == "{":
            depth += 1
            out.append(token)
        elif token == "}":
            depth = max(0, depth - 1)
            out.append(token)
        elif depth and keep_braces:
            out.append(token)
        else:
            new = _SYNONYMS.get(token.lower())
            if new and rng.random() < 0.75:
                new = new.capitalize() if token[0].isupper() else new
                out.append(new)
            else:
                out.append(token)
    out.append(text[i:])
    return "".join(out)


def _reword_string_token(token: str, rng: random.Random) -> str:
    """Reword a STRING token's body, keeping its prefix and quotes; bytes are left alone."""
    match = re.match(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", token, re.S)
    if match is None or "b" in match.group(1).lower():
        return token
    prefix, quote, body = match.groups()
    new_body = _reword(body, rng)
    if len(quote) == 1 and re.search(rf"(?<!\\){quote}", new_body):  # e.g. "can't" inside '...'
        return token
    return f"{prefix}{quote}{new_body}{quote}"


def _message_nodes(tree: ast.Module) -> list[ast.expr]:
    """String arguments that are only messages: print / logging / warnings / sys.exit / raise X("...") / help=."""
    found: list[ast.expr] = []

    def strings_of(expr: ast.expr) -> list[ast.expr]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str) or isinstance(expr, ast.JoinedStr):
            return [expr]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
            return strings_of(expr.left)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
            return strings_of(expr.func.value)
        return []

    raised: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            raised.add(id(node.exc))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        owner = _dotted(func.value) if isinstance(func, ast.Attribute) else None
        args: list[ast.expr] = []
        if name == "print" and isinstance(func, ast.Name) and not any(k.arg == "file" for k in node.keywords):
            args = list(node.args)
        elif name in _LOG_METHODS and owner and re.search(r"log", owner, re.I):
            args = node.args[1:2] if name == "log" else node.args[:1]
        elif name == "warn" and owner == "warnings" or name == "exit" and owner == "sys":
            args = node.args[:1]
        elif id(node) in raised:
            args = node.args[:1]
        for kw in node.keywords:
            if kw.arg in ("help", "description", "epilog", "msg"):
                args.append(kw.value)
        for arg in args:
            found.extend(strings_of(arg))
    return found


def _docstring_nodes(tree: ast.Module) -> list[tuple[ast.AST, ast.Constant]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                out.append((node, first.value))
    return out


def change_comments_and_literals(source: str, rng: random.Random) -> str:
    """Reword, remove or add comments and docstrings, and reword message strings (print/log/exception texts).

    Column names, paths, dict and config keys are never touched: only strings that are messages change.
    """
    tree = _parse(source)
    if tree is None:
        return source
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    ed = _Editor(source)
    nl = _newline(source)
    by_start = {(t.start[0], t.start[1]): t for t in tokens}
    string_tokens = [t for t in tokens if t.type == tokenize.STRING]
    # comments
    for tok in tokens:
        if tok.type != tokenize.COMMENT or _KEEP_COMMENT.match(tok.string) or tok.start[0] <= 2 and \
                tok.string.startswith("#!"):
            continue
        row, col = tok.start
        line = ed.lines[row - 1]
        full_line = not line[:col].strip()
        roll = rng.random()
        if roll < 0.3:
            if full_line:
                ed.replace(ed.starts[row - 1], ed.starts[row], "")
            else:
                cut = len(line[:col].rstrip())
                ed.replace(ed.offset(row, cut), ed.offset(row, tok.end[1]), "")
        elif roll < 0.85:
            ed.replace(ed.offset(row, col), ed.offset(row, tok.end[1]), "# " + _reword(tok.string.lstrip("#").strip(),
                                                                                       rng, keep_braces=False))
    # docstrings: reword most, drop some, add a few
    documented: set[int] = set()
    for owner, const in _docstring_nodes(tree):
        documented.add(id(owner))
        tok = by_start.get((const.lineno, ed.char_col(const.lineno, const.col_offset)))
        if tok is None or tok.type != tokenize.STRING:
            continue
        start, end = ed.offset(*tok.start), ed.offset(*tok.end)
        body = owner.body  # type: ignore[attr-defined]
        if rng.random() < 0.25 and len(body) > 1:
            row = tok.start[0]
            end_row = tok.end[0]
            if not ed.lines[row - 1][: tok.start[1]].strip() and not ed.lines[end_row - 1][tok.end[1]:].strip():
                ed.replace(ed.starts[row - 1], ed.starts[end_row], "")
                continue
        ed.replace(start, end, _reword_string_token(tok.string, rng))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and id(node) not in documented and \
                rng.random() < 0.3 and node.body[0].lineno > node.lineno:
            first = node.body[0]
            if getattr(first, "decorator_list", None):
                continue
            line = ed.lines[first.lineno - 1]
            if line[: ed.char_col(first.lineno, first.col_offset)].strip():
                continue
            row = first.lineno
            words = " ".join(w for w in node.name.strip("_").split("_") if w)
            text = rng.choice([f"Handle the {words} step.", f"Helper: {words}.", f"Run {words}.",
                               f"{words.capitalize()} (see the notes).", "Internal helper."])
            ed.insert_line(row, f'{_line_indent(line)}"""{text}"""{nl}')
    # message literals
    for node in _message_nodes(tree):
        start = ed.at(node.lineno, node.col_offset)
        end = ed.at(node.end_lineno or node.lineno, node.end_col_offset or 0)
        for tok in string_tokens:
            pos = ed.offset(*tok.start)
            if start <= pos < end:
                new = _reword_string_token(tok.string, rng)
                if new != tok.string:
                    ed.replace(pos, ed.offset(*tok.end), new)
    # a few new comments before statements
    points = _insertion_points(tree, ed, include_class=True)
    for row, indent, _ in rng.sample(points, k=min(len(points), max(1, len(points) // 12))):
        ed.insert_line(row, f"{indent}# {rng.choice(_GENERIC_COMMENTS)}{nl}")
    result = ed.apply()
    return result if _parse(result) is not None else source


# ----------------------------------------------------------------------------------------------- dead code

def _insertion_points(tree: ast.Module, ed: _Editor, include_class: bool = False) -> list[tuple[int, str, bool]]:
    """(row, indent, module_level) before which a new statement line may go without changing the program."""
    points: list[tuple[int, str, bool]] = []
    future_end = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            future_end = stmt.end_lineno or stmt.lineno

    def walk(body: list[ast.stmt], module_level: bool, docstring_owner: bool) -> None:
        prev_end = 0
        for i, stmt in enumerate(body):
            row = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
            skip = (i == 0 and docstring_owner) or (module_level and row <= future_end) or row <= prev_end
            line = ed.lines[row - 1] if row - 1 < len(ed.lines) else ""
            col = ed.char_col(stmt.lineno, stmt.col_offset) if row == stmt.lineno else len(_line_indent(line))
            skip = skip or line[col:].startswith("elif")  # an `elif` is an If node in the orelse list
            if not skip and not line[:col].strip() and (row == 1 or not ed.lines[row - 2].rstrip("\r\n")
                                                         .endswith("\\")):
                points.append((row, line[:col], module_level))
            prev_end = stmt.end_lineno or stmt.lineno
            for name in ("body", "orelse", "finalbody"):
                sub = getattr(stmt, name, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                    if isinstance(stmt, ast.ClassDef) and not include_class:
                        continue
                    walk(sub, False, name == "body" and isinstance(
                        stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and _has_docstring(sub))
            for handler in getattr(stmt, "handlers", []):
                walk(handler.body, False, False)
            for case in getattr(stmt, "cases", []):
                walk(case.body, False, False)

    walk(tree.body, True, _has_docstring(tree.body))
    return points


def _has_docstring(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
        isinstance(body[0].value.value, str)


def _literal(rng: random.Random) -> str:
    return rng.choice([str(rng.randint(0, 999)), f"{rng.uniform(0, 10):.3f}", "None", "True", "False",
                       f"[{rng.randint(0, 9)}, {rng.randint(0, 9)}, {rng.randint(0, 9)}]",
                       f"{{'k': {rng.randint(0, 99)}}}", f"({rng.randint(0, 9)}, {rng.randint(0, 9)})",
                       repr(rng.choice(_NOUNS)), f"{rng.randint(1, 50)} * {rng.randint(1, 50)}"])


def _dead_block(rng: random.Random, names: _NameMaker, unit: str, budget: int, module_level: bool
                ) -> tuple[list[str], int]:
    """One dead snippet (lines relative to its indentation) and how many ast statements it adds."""
    options = ["assign", "assign", "expr", "calc"]
    if budget >= 2:
        options += ["if_false", "if_false", "loop_never"]
    if budget >= 3 and module_level:
        options += ["helper"]
    kind = rng.choice(options)
    if kind == "assign":
        return [f"{names.fresh()} = {_literal(rng)}"], 1
    if kind == "calc":
        return [f"{names.fresh()} = {rng.randint(1, 99)} + {rng.randint(1, 99)} * {rng.randint(1, 9)}"], 1
    if kind == "expr":
        return [rng.choice(["None", "...", f"({rng.randint(0, 9)}, {rng.randint(0, 9)})", f"{rng.randint(0, 99)}"])], 1
    if kind == "loop_never":
        var = names.fresh()
        return [f"for {var} in ():", f"{unit}{names.fresh()} = {var}"], 2
    if kind == "if_false":
        inner = min(budget - 1, rng.choice([1, 1, 2]))
        first = names.fresh()
        lines = ["if False:", f"{unit}{first} = {_literal(rng)}"]
        for _ in range(inner - 1):
            lines.append(f"{unit}{names.fresh()} = {first}")
        return lines, 1 + inner
    fn, a, b, c = names.fresh(kind="func"), names.fresh(), names.fresh(), names.fresh()
    return ["", "", f"def {fn}({a}, {b}):", f"{unit}{c} = {a} + {b}", f"{unit}return {c}", "", ""], 3


def count_statements(source: str) -> int:
    """Number of ast statements in a module (what the dead-code rate is measured against)."""
    tree = _parse(source)
    return 0 if tree is None else sum(isinstance(n, ast.stmt) for n in ast.walk(tree))


def insert_dead_code(source: str, rng: random.Random, rate: float) -> str:
    """Insert about `rate` dead statements per real statement (unused assignments, no-op expressions,
    `if False:` blocks, loops over nothing, unused helper functions); class bodies are never touched."""
    tree = _parse(source)
    if tree is None or rate <= 0:
        return source
    ed = _Editor(source)
    points = _insertion_points(tree, ed)
    if not points:
        return source
    nl, unit = _newline(source), _indent_unit(source)
    names = _NameMaker(rng, _all_identifiers([source]))
    budget = round(rate * count_statements(source))
    while budget > 0:
        row, indent, module_level = rng.choice(points)
        lines, size = _dead_block(rng, names, unit, budget, module_level)
        ed.insert_line(row, "".join((indent + line if line else "") + nl for line in lines))
        budget -= size
    result = ed.apply()
    return result if _parse(result) is not None else source


# ----------------------------------------------------------------------------------------------- notebooks

# `%magic`, `%%cell_magic`, `!shell`, `x = !shell`, `obj?` -- but not a continuation line like `    % args)`
_MAGIC_LINE = re.compile(r"^\s*(?:\w+\s*=\s*)?(?:%%?[A-Za-z]|![^=])|^\s*[\w.]+\?{1,2}\s*$")
_NON_PYTHON_CELL_MAGICS = ("%%bash", "%%sh", "%%html", "%%javascript", "%%js", "%%writefile", "%%latex",
                           "%%markdown", "%%svg", "%%script", "%%perl", "%%ruby", "%%file")


def _blocks(tree: ast.Module, lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the cells: imports together, each def/class, paragraphs of other statements."""
    groups: list[tuple[str, int, int]] = []
    prev_end = 0
    for i, node in enumerate(tree.body):
        end = node.end_lineno or node.lineno
        if i == 0 and _has_docstring(tree.body):
            kind = "import"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            kind = "import"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            kind = "def"
        else:
            kind = "stmt"
        gap = lines[prev_end: min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1]
        paragraph = kind == "stmt" and any(not line.strip() for line in gap)  # scripts: a blank line starts a cell
        if groups and kind != "def" and groups[-1][0] == kind and not paragraph:
            groups[-1] = (kind, groups[-1][1], end)
        else:
            groups.append((kind, prev_end, end))
        prev_end = end
    if groups:
        groups[-1] = (groups[-1][0], groups[-1][1], len(lines))
    return [(a, b) for _, a, b in groups]


def _cell(cell_type: str, text: str) -> dict[str, Any]:
    source = text.splitlines(keepends=True)
    if source:
        source[-1] = source[-1].rstrip("\r\n")
    cell: dict[str, Any] = {"cell_type": cell_type, "metadata": {}, "source": source}
    if cell_type == "code":
        cell.update({"execution_count": None, "outputs": []})
    return cell


def script_to_notebook(source: str, path_hint: str = "") -> str:
    """A valid nbformat v4 notebook whose code cells hold the module split by top-level blocks (text kept)."""
    tree = _parse(source)
    lines = source.splitlines(keepends=True)
    if tree is None or not tree.body:
        chunks = [source] if source.strip() else []
    else:
        chunks = ["".join(lines[a:b]) for a, b in _blocks(tree, lines)]
    cells = []
    if path_hint:
        cells.append(_cell("markdown", f"# {path_hint}"))
    for chunk in chunks:
        text = chunk.strip("\r\n")
        if text.strip():
            cells.append(_cell("code", text))
    notebook = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                            "name": "python3"},
                                             "language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(notebook["cells"]):
        cell["id"] = f"cell-{i:03d}"
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _drop_magics(code: str) -> str | None:
    """The cell without IPython magics / shell escapes (None for a cell in another language)."""
    if code.lstrip().startswith(_NON_PYTHON_CELL_MAGICS):
        return None
    out = []
    for line in code.splitlines(keepends=True):
        if line.lstrip().startswith("%%") and not out:
            continue
        if _MAGIC_LINE.match(line):
            indent = _line_indent(line)
            if indent:
                out.append(f"{indent}pass{_newline(line) if line.endswith(chr(10)) else ''}")
            continue
        out.append(line)
    return "".join(out)


def notebook_to_script(notebook_text: str) -> str:
    """The notebook's code cells joined in order with `# %%` markers; magics and shell escapes dropped."""
    notebook = json.loads(notebook_text)
    parts = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        code = _drop_magics(_cell_source(cell))
        if code is None or not code.strip():
            continue
        parts.append("# %%\n" + code.strip("\r\n") + "\n")
    return "\n\n".join(parts)


def _mask_magics(code: str) -> tuple[str, dict[str, str]]:
    """Replace magic lines by unique dunder expression statements, so the cell parses and can be restored."""
    masks: dict[str, str] = {}
    out = []
    for line in code.splitlines(keepends=True):
        if _MAGIC_LINE.match(line) or (line.lstrip().startswith("%%") and not out):
            mark = MAGIC_MARK.format(len(masks))
            masks[mark] = line.rstrip("\r\n")
            out.append(_line_indent(line) + mark + ("\n" if line.endswith("\n") else ""))
        else:
            out.append(line)
    return "".join(out), masks


def _unmask(code: str, masks: dict[str, str]) -> str:
    """Put the magic lines back; a cell magic (`%%time`) goes back to the very first line of the cell."""
    for mark, original in masks.items():
        if original.lstrip().startswith("%%"):
            code = re.sub(rf"^[ \t]*{mark}[ \t]*(?:\r?\n|$)", "", code, count=1, flags=re.MULTILINE)
            code = original + "\n" + code
        else:
            code = re.sub(rf"^[ \t]*{mark}[ \t]*$", lambda _m, o=original: o, code, flags=re.MULTILINE)
    return code


# ----------------------------------------------------------------------------------------------- whole submissions

def _copy_submission(src_dir: Path, dest_dir: Path) -> None:
    """Copy a submission folder without calibration files and caches (dest_dir must not exist)."""

    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in EXCLUDED_FILES or n in EXCLUDED_DIRS or n.endswith(".pyc")}

    shutil.copytree(src_dir, dest_dir, ignore=ignore, symlinks=True)


def _code_files(root: Path, suffix: str) -> list[Path]:
    found = []
    for path in sorted(root.rglob(f"*{suffix}")):
        rel = path.relative_to(root).parts
        if path.is_symlink() or not path.is_file() or rel[0] in ("data", "output") or \
                any(p.startswith(".") or p in EXCLUDED_DIRS for p in rel[:-1]):
            continue
        found.append(path)
    return found


@dataclass
class _CodeFile:
    """A module or notebook of the submission with its parseable pieces (whole module, or code cells)."""

    path: Path
    notebook: dict[str, Any] | None
    pieces: list[tuple[int, str, dict[str, str]]]  # (cell index or -1, masked code, magic masks)


def _load_code(root: Path) -> list[_CodeFile]:
    files = []
    for path in _code_files(root, ".py"):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _parse(text) is not None:
            files.append(_CodeFile(path, None, [(-1, text, {})]))
    for path in _code_files(root, ".ipynb"):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            cells = notebook["cells"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            continue
        pieces = []
        for i, cell in enumerate(cells):
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                masked, masks = _mask_magics(_cell_source(cell))
                if masked.strip() and _parse(masked) is not None:
                    pieces.append((i, masked, masks))
        files.append(_CodeFile(path, notebook, pieces))
    return files


def _store(cf: _CodeFile, new_texts: Sequence[str]) -> None:
    """Write transformed pieces back (a module, or the notebook's cells in nbformat's list-of-lines form)."""
    if cf.notebook is None:
        cf.path.write_text(new_texts[0], encoding="utf-8", newline="")
        return
    for (index, _, masks), text in zip(cf.pieces, new_texts, strict=True):
        cell = cf.notebook["cells"][index]
        restored = _unmask(text, masks)
        cell["source"] = restored.splitlines(keepends=True) if isinstance(cell.get("source"), list) else restored
    cf.path.write_text(json.dumps(cf.notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _map_pieces(dest_dir: Path, fn: Callable[[str], str]) -> None:
    for cf in _load_code(dest_dir):
        _store(cf, [fn(text) for _, text, _ in cf.pieces])


def attack_rename(src_dir: Path, dest_dir: Path, rng: random.Random, protected: frozenset[str] = frozenset(),
                  **_: Any) -> Path:
    """Rename user-defined names across the whole submission with one consistent map: a function defined in
    src/features.py and imported in src/main.py (or a notebook) is renamed in both, imports included."""
    _copy_submission(src_dir, dest_dir)
    files = _load_code(dest_dir)
    known: set[str] = set()
    for cf in files:
        if cf.notebook is None:
            known |= _module_names(cf.path.relative_to(dest_dir))
    units = [_UnitInfo(pieces=[(text, ast.parse(text)) for _, text, _ in cf.pieces]) for cf in files]
    results = _rename_units(units, rng, frozenset(protected), frozenset(known))
    for cf, texts in zip(files, results, strict=True):
        if cf.pieces:
            _store(cf, texts)
    return dest_dir


def attack_reorder(src_dir: Path, dest_dir: Path, rng: random.Random, **_: Any) -> Path:
    """Shuffle the top-level def/class blocks of every module and notebook cell."""
    _copy_submission(src_dir, dest_dir)
    _map_pieces(dest_dir, lambda text: reorder_functions(text, rng))
    return dest_dir


def attack_comments_literals(src_dir: Path, dest_dir: Path, rng: random.Random, **_: Any) -> Path:
    """Reword / remove / add comments and docstrings, reword message strings, in every module and code cell."""
    _copy_submission(src_dir, dest_dir)
    _map_pieces(dest_dir, lambda text: change_comments_and_literals(text, rng))
    return dest_dir


def attack_dead_code(src_dir: Path, dest_dir: Path, rng: random.Random, rate: float = 0.5, **_: Any) -> Path:
    """Insert `rate` dead statements per real statement in every module and code cell."""
    _copy_submission(src_dir, dest_dir)
    _map_pieces(dest_dir, lambda text: insert_dead_code(text, rng, rate))
    return dest_dir


_RUN_LINE = re.compile(r"^(?P<indent>\s*)(?:exec\s+)?python[\d.]*\s+(?P<target>-m\s+[\w.]+|[\w./-]+\.py)(?P<args>.*)$")


def attack_script_to_notebook(src_dir: Path, dest_dir: Path, rng: random.Random, **_: Any) -> Path:
    """The entry module run.sh starts (e.g. src/main.py) becomes `pipeline.ipynb` at the submission root; run.sh
    runs that notebook's code cells in order (same argv, sys.path, __file__). Other modules and eda.ipynb stay."""
    _copy_submission(src_dir, dest_dir)
    run = dest_dir / "run.sh"
    if not run.is_file():
        return dest_dir
    lines = run.read_text(encoding="utf-8").splitlines(keepends=True)
    cwd = Path(".")
    for i, line in enumerate(lines):
        code = line.split("#", 1)[0].rstrip()
        cd = re.match(r"^\s*cd\s+([\w./-]+)\s*$", code)
        if cd and "$" not in cd.group(1):
            cwd = cwd / cd.group(1)
            continue
        match = _RUN_LINE.match(code)
        if not match:
            continue
        target = match.group("target")
        if target.startswith("-m"):
            module = target.split()[1]
            rel = cwd / (module.replace(".", "/") + ".py")
            package = module.rpartition(".")[0]
            path_entry = "."
        else:
            module, rel, package = "", cwd / target, ""
            path_entry = str(Path(target).parent)
        entry = (dest_dir / rel)
        if not entry.is_file():
            return dest_dir
        source = entry.read_text(encoding="utf-8")
        if _parse(source) is None:
            return dest_dir
        source = _absolute_imports(source, package)
        root_from_cwd = "/".join([".."] * len(cwd.parts)) or "."
        nb_path = f"{root_from_cwd}/pipeline.ipynb" if root_from_cwd != "." else "pipeline.ipynb"
        file_value = str(rel.relative_to(cwd)) if target.startswith("-m") else target
        (dest_dir / "pipeline.ipynb").write_text(script_to_notebook(source, path_hint=str(rel)), encoding="utf-8")
        entry.unlink()
        args = match.group("args").strip() + " " if match.group("args").strip() else ""
        runner = [
            f"{match.group('indent')}# the pipeline's entry point is pipeline.ipynb: run its code cells in order\n",
            f"{match.group('indent')}python - {args}<<'PY'\n",
            "import json, sys\n",
            f"sys.path.insert(0, {path_entry!r})\n",
            f"sys.argv[0] = {file_value!r}\n",
            f"with open({nb_path!r}, encoding='utf-8') as fh:\n",
            "    cells = json.load(fh)['cells']\n",
            "code = '\\n'.join(''.join(c['source']) for c in cells if c['cell_type'] == 'code')\n",
            "namespace = sys.modules['__main__'].__dict__  # the real __main__, so pickled classes resolve\n",
            f"namespace['__file__'] = {file_value!r}\n",
            f"exec(compile(code, {nb_path!r}, 'exec'), namespace)\n",
            "PY\n",
        ]
        lines[i: i + 1] = runner
        run.write_text("".join(lines), encoding="utf-8")
        break
    return dest_dir


def _absolute_imports(source: str, package: str) -> str:
    """`from .x import y` -> `from pkg.x import y`, so the code still imports when run outside its package."""
    tree = _parse(source)
    if tree is None or not package:
        return source
    ed = _Editor(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join(base + ([node.module] if node.module else []))
            start = ed.at(node.lineno, node.col_offset)
            match = re.compile(r"from\s+(\.+\s*[\w.]*)\s+import").match(source, start)
            if match:
                ed.replace(match.start(1), match.end(1), target)
    return ed.apply()


def attack_all(src_dir: Path, dest_dir: Path, rng: random.Random, rate: float = 1.0, **kw: Any) -> Path:
    """rename, then reorder, then comments/literals, then dead code at `rate` (1.0 by default)."""
    with tempfile.TemporaryDirectory(prefix="aie-attack-") as work:
        tmp = [Path(work) / f"step{i}" for i in range(3)]
        attack_rename(src_dir, tmp[0], rng, **kw)
        attack_reorder(tmp[0], tmp[1], rng)
        attack_comments_literals(tmp[1], tmp[2], rng)
        attack_dead_code(tmp[2], dest_dir, rng, rate=rate)
    return dest_dir


ATTACKS: dict[str, Callable[..., Path]] = {
    "rename": attack_rename,
    "reorder": attack_reorder,
    "comments_literals": attack_comments_literals,
    "dead_code": attack_dead_code,
    "script_to_notebook": attack_script_to_notebook,
    "all": attack_all,
}


def apply_attack(src_dir: Path, dest_dir: Path, attack: str, rng: random.Random, **kw: Any) -> Path:
    """Copy the submission src_dir to dest_dir (which must not exist) with one attack applied; returns dest_dir."""
    if attack not in ATTACKS:
        raise ValueError(f"unknown attack {attack!r}; choose from {', '.join(ATTACKS)}")
    src_dir, dest_dir = Path(src_dir), Path(dest_dir)
    if dest_dir.exists():
        raise FileExistsError(f"{dest_dir} exists")
    return ATTACKS[attack](src_dir, dest_dir, rng, **kw)
