"""Annex A1 section 1, programming proficiency: readability, reusability, self-explanatory code,
exception handling, measured on the .py files run.sh runs (checks/reachability.py): code nothing runs
is reported as unused, not measured. A file the grader's own limits stop it from measuring (size,
pylint's time) makes the check an ERROR, so the line is not assessed rather than scored 0."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from radon.complexity import cc_visit

from checks.astutil import call_name, imported_modules, snippet
from checks.base import ERROR, OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile
from checks.reachability import SCOPE_METRICS, measured_code, scope_findings

PYLINTRC = Path(__file__).with_name("pylintrc")
PYLINT_TIMEOUT_S = 180
MAX_PYLINT_LINES = 20_000  # per file: pylint needs minutes on a 200k-line file, the grader's limit is not the code's
# Names data scientists use by convention: not naming faults (a known trap of naive checks).
CONVENTIONAL_NAMES = {"X", "y", "X_train", "X_test", "X_val", "y_train", "y_test", "y_val", "df", "i", "j", "k",
                      "e", "f", "n", "_", "x", "ax", "fig", "np", "pd", "plt", "sns", "lr", "rf", "cv", "id",
                      "tn", "fp", "fn", "tp", "cm", "p"}


class PylintScore(Check):
    code = "PRG001"
    name = "pylint-score"
    lines = ("prog.readability",)
    summary = ("Runs pylint (the grader's own rcfile) on the .py files run.sh runs and their imports, and reads its "
               "0-10 score; modules nothing runs are reported as unused code, not measured.")
    rationale = ("Code readability asks for clean, readable code; pylint's score is a standard, "
                 "reproducible measure of layout, naming of constructs and common smells. Tidy modules the pipeline "
                 "never runs say nothing about the code that does.")
    example = ("A script with unused imports, several statements per line (`;`), lines over 120 characters and a "
               "function defined twice scores below 5.")

    metrics = {"score": "pylint's score 0-10 on the measured files", "messages": "pylint messages (count)",
               **SCOPE_METRICS}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources, scope = found
        files = [s.path for s in sources]
        extra = {"metrics": scope.metrics(), "data": {"scope": scope.data()}}
        too_long = [s for s in sources if len(s.lines) > MAX_PYLINT_LINES]
        if too_long:
            limits = [f"{s.path}: {len(s.lines):,} lines, over the grader's {MAX_PYLINT_LINES:,}-line limit for "
                      f"pylint" for s in too_long]
            return self.evidence(ERROR, f"pylint not run, the grader could not measure readability: {limits[0]}",
                                 findings=[f"grader limit: {text}" for text in limits] + scope.findings(),
                                 confidence=0.0, **extra)
        proc = self._pylint(ctx, files, third_party_modules(ctx, sources))
        if isinstance(proc, str):
            largest = max(sources, key=lambda s: len(s.lines))
            what = (f"{proc}: the grader's limit, readability is not measured ({len(files)} file(s), the largest "
                    f"{largest.path} with {len(largest.lines):,} lines)")
            return self.evidence(ERROR, what, findings=[f"grader limit: {what}"] + scope.findings(), confidence=0.0,
                                 **extra)
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            what = f"pylint crashed on {len(files)} file(s), the grader's tool failed: {proc.stderr.strip()[-300:]}"
            return self.evidence(ERROR, what, findings=[what] + scope.findings(), confidence=0.0, **extra)
        score = float(report.get("statistics", {}).get("score", 0.0))
        messages = report.get("messages", [])
        by_symbol = Counter(m["symbol"] for m in messages)
        locations = [
            Location(_relative(ctx.root, m["path"]), m.get("line"), f"{m['symbol']}: {m['message']}"[:160])
            for m in messages[:15]
        ]
        top = ", ".join(f"{sym} x{count}" for sym, count in by_symbol.most_common(5))
        return self.evidence(
            OK,
            f"pylint score {score:.2f}/10 over {len(files)} file(s); {len(messages)} message(s)"
            + (f": {top}" if top else ""),
            metrics={"score": round(score, 2), "messages": len(messages), **scope.metrics()},
            locations=locations,
            findings=scope_findings(ctx, scope),
            data={"scope": scope.data()},
        )

    @staticmethod
    def _pylint(ctx: CheckContext, files: list[str], ignored: list[str]) -> subprocess.CompletedProcess | str:
        """pylint's run on the files, or why it did not finish."""
        with tempfile.TemporaryDirectory(prefix="aie-pylint-") as home:
            env = {"PATH": os.environ.get("PATH", ""), "PYLINTHOME": home, "HOME": home}
            cmd = [sys.executable, "-m", "pylint", f"--rcfile={PYLINTRC}", "--output-format=json2",
                   "--persistent=n", f"--ignored-modules={','.join(ignored)}", *[str(ctx.root / f) for f in files]]
            try:
                return subprocess.run(cmd, cwd=home, env=env, capture_output=True, text=True,
                                      timeout=PYLINT_TIMEOUT_S, check=False)
            except subprocess.TimeoutExpired:
                return f"pylint did not finish within {PYLINT_TIMEOUT_S} s"


def third_party_modules(ctx: CheckContext, sources: list[SourceFile]) -> list[str]:
    """The libraries the files import (neither the standard library nor the submission's own modules).

    pylint ignores them as it would a library it cannot find: inferring through pandas or sklearn cost
    most of its run, and the score is about the candidate's code."""
    own = {Path(rel).stem for rel in ctx.python_files} | {part for rel in ctx.python_files
                                                          for part in Path(rel).parent.parts}
    return sorted(name for name in imported_modules(sources)
                  if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] not in own)


def _relative(root: Path, path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return Path(path).name


def _is_main_guard(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def _is_declaration(node: ast.stmt) -> bool:
    """Imports, constants, docstrings and the main guard are fine at module level."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        value = node.value
        return isinstance(value, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set)) or value is None
    return _is_main_guard(node)


def _duplicate_share(sources: list[SourceFile], window: int = 4) -> tuple[float, list[Location]]:
    """Share of code lines that belong to a 4-line block appearing more than once (copy-paste)."""
    seen: dict[tuple[str, ...], Location] = {}
    duplicated: set[tuple[str, int]] = set()
    locations: list[Location] = []
    total = 0
    for src in sources:
        code = [(i + 1, re.sub(r"\s+", " ", line.strip())) for i, line in enumerate(src.lines)]
        code = [(n, text) for n, text in code if text and not text.startswith(("#", "import ", "from "))
                and len(text) > 3]
        total += len(code)
        for start in range(len(code) - window + 1):
            block = tuple(text for _, text in code[start:start + window])
            first_line = code[start][0]
            if block in seen:
                duplicated.update((src.path, n) for n, _ in code[start:start + window])
                if len(locations) < 5:
                    locations.append(Location(src.path, first_line, f"repeats {seen[block]}: {block[0][:80]}"))
            else:
                seen[block] = Location(src.path, first_line)
    return (len(duplicated) / total if total else 0.0), locations


class CodeStructure(Check):
    code = "PRG002"
    name = "code-structure"
    lines = ("prog.reusability",)
    summary = ("Measures the share of statements inside functions/classes (not module-level script code), "
               "copy-pasted 4-line blocks, and radon's cyclomatic complexity per function.")
    rationale = ("Code reusability asks for code structured to minimise repetition, e.g. with functions: "
                 "script code at module level and duplicated blocks are the opposite.")
    example = "Cleaning code pasted twice (train and hold-out) at module level: function share 0.1, duplicates 0.3."

    metrics = {"function_share": "share 0-1 of statements inside functions/classes",
               "functions": "functions and methods defined (count)",
               "duplicate_share": "share 0-1 of code lines in a repeated 4-line block",
               "max_complexity": "highest cyclomatic complexity of a function (radon, 0 when none)",
               **SCOPE_METRICS}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources, scope = found
        inside, outside, locations = _statement_placement(sources)
        functions = sum(sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(src.tree))
                        for src in sources)
        complexities = _complexities(sources)
        share = inside / (inside + outside) if inside + outside else 0.0
        dup_share, dup_locations = _duplicate_share(sources)
        max_cc = max((c[0] for c in complexities), default=0)
        worst = max(complexities, default=None)
        if worst and worst[0] > 10:
            locations.append(Location(worst[1], worst[3], f"{worst[2]} has cyclomatic complexity {worst[0]}"))
        return self.evidence(
            OK,
            f"{share:.0%} of statements inside functions/classes ({functions} functions); "
            f"{dup_share:.0%} of code lines in repeated blocks; max complexity {max_cc}",
            metrics={"function_share": round(share, 3), "functions": functions,
                     "duplicate_share": round(dup_share, 3), "max_complexity": max_cc, **scope.metrics()},
            locations=locations + dup_locations,
            findings=scope_findings(ctx, scope),
            data={"scope": scope.data()},
        )


def _statement_placement(sources: list[SourceFile]) -> tuple[int, int, list[Location]]:
    """Statements inside functions/classes, statements of module-level script code, and the first 5 of the latter."""
    inside = outside = 0
    locations: list[Location] = []
    for src in sources:
        for node in src.tree.body:
            count = sum(isinstance(n, ast.stmt) for n in ast.walk(node))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inside += count
            elif _is_main_guard(node):
                continue
            elif not _is_declaration(node):
                outside += count
                if len(locations) < 5:
                    text = "module-level code: " + snippet(src, node.lineno)
                    locations.append(Location(src.path, node.lineno, text))
    return inside, outside, locations


def _complexities(sources: list[SourceFile]) -> list[tuple[int, str, str, int]]:
    """(complexity, path, name, line) of every function radon can read."""
    complexities: list[tuple[int, str, str, int]] = []
    for src in sources:
        try:
            for block in cc_visit(src.text or ""):
                complexities.append((block.complexity, src.path, block.name, block.lineno))
        except (SyntaxError, ValueError):
            pass
    return complexities


class SelfExplanatory(Check):
    code = "PRG003"
    name = "self-explanatory-code"
    lines = ("prog.self_explanatory",)
    summary = ("Share of functions and classes with a docstring of their own (copies of another docstring do "
               "not count), comment density, and cryptic names (conventional X, y, df excluded).")
    rationale = ("Self-explanatory code asks for proper naming, in-line comments and the intent of functions "
                 "and classes stated clearly.")
    example = "def f(a, b): ... with no docstring, variables tmp, a2, df3: doc share 0, every name cryptic."

    metrics = {"definitions": "functions and classes defined (count)",
               "doc_share": "share 0-1 of functions/classes with a docstring of their own (3+ words)",
               "comment_ratio": "comment lines per code line (ratio, >= 0)",
               "cryptic_share": "share 0-1 of distinct names that are cryptic (conventional X, y, df excluded)",
               **SCOPE_METRICS}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources, scope = found
        tally = _DocTally()
        code_lines = comment_lines = 0
        for src in sources:
            tally.add_source(src)
            comments, code = _comment_lines(src)
            comment_lines += comments
            code_lines += code
        copied = sum(count - 1 for count in tally.docstrings.values() if count > 1)
        distinct_documented = tally.documented - copied
        defs = tally.defs
        doc_share = distinct_documented / defs if defs else 0.0
        unique_names = set(tally.names) - CONVENTIONAL_NAMES
        cryptic = sorted(n for n in unique_names if _cryptic(n))
        cryptic_share = len(cryptic) / len(unique_names) if unique_names else 0.0
        comment_ratio = comment_lines / code_lines if code_lines else 0.0
        findings = scope_findings(ctx, scope)
        if copied:
            findings.append(f"{copied} docstring(s) are copies of another function's docstring and do not count")
        if cryptic:
            findings.append("cryptic names: " + ", ".join(cryptic[:12]))
        return self.evidence(
            OK,
            f"{distinct_documented}/{defs} functions/classes documented; comment ratio {comment_ratio:.2f}; "
            f"{cryptic_share:.0%} cryptic names",
            metrics={"definitions": defs, "doc_share": round(doc_share, 3), "comment_ratio": round(comment_ratio, 3),
                     "cryptic_share": round(cryptic_share, 3), **scope.metrics()},
            locations=tally.locations,
            findings=findings,
        )


@dataclass
class _DocTally:
    """Definitions, their docstrings and the names bound, gathered over the measured files."""

    defs: int = 0
    documented: int = 0
    docstrings: Counter[str] = field(default_factory=Counter)
    names: list[str] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)

    def add_source(self, src: SourceFile) -> None:
        """Count one file's functions and classes and collect the names it binds."""
        for node in ast.walk(src.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._add_definition(src, node)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.names.append(node.id)

    def _add_definition(self, src: SourceFile, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        """One definition: its name, its arguments' names, and whether it has a docstring of 3+ words."""
        self.defs += 1
        self.names.append(node.name)
        doc = (ast.get_docstring(node) or "").strip()
        if len(doc.split()) >= 3:
            self.documented += 1
            self.docstrings[re.sub(r"\s+", " ", doc.lower())] += 1
        elif len(self.locations) < 6:
            self.locations.append(Location(src.path, node.lineno, f"no docstring: {node.name}"))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.names.extend(a.arg for a in node.args.args if a.arg not in ("self", "cls"))


def _comment_lines(src: SourceFile) -> tuple[int, int]:
    """(comment lines, code lines) of one file; a code line with a trailing `  # ` comment counts as both."""
    comment_lines = code_lines = 0
    for line in src.lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            comment_lines += 1
        elif stripped:
            code_lines += 1
            if "  # " in line:
                comment_lines += 1
    return comment_lines, code_lines


def _cryptic(name: str) -> bool:
    """Single letters, letter+digit names and throw-away names like tmp, df2, a1."""
    bare = name.strip("_")
    if len(bare) <= 1:
        return True
    return bool(re.fullmatch(r"(tmp|temp|foo|bar|baz|data\d+|df\d+|[a-z]{1,2}\d*)", bare))


EXITS = ("sys.exit", "exit", "quit", "os._exit")


def _stops(handler: ast.ExceptHandler) -> bool:
    """The handler re-raises, or exits with a failure status, so the run does not go on as if nothing happened
    (`exit()` or `sys.exit(0)` after a print hides the failure: it does not count)."""
    for node in ast.walk(handler):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call) and call_name(node) in EXITS and node.args \
                and not (isinstance(node.args[0], ast.Constant) and node.args[0].value in (0, None)):
            return True
    return False


class ExceptionHandling(Check):
    code = "PRG004"
    name = "exception-handling"
    lines = ("prog.exception_handling",)
    summary = ("Counts specific except handlers that do something, handlers that swallow errors (bare/broad "
               "`except` with `pass`), and errors raised with a message for bad input.")
    rationale = ("Exception handling asks for code that catches and handles insufficient data, empty datasets, "
                 "wrong data types: validation that raises clear errors and handlers that act.")
    example = "try: ... except: pass  -> a swallowing handler; raise ValueError('table is empty') -> a validation."

    metrics = {"specific_handlers": "except handlers of a specific type that act (count)",
               "raises_with_message": "raise statements with a message (count)",
               "swallowing_handlers": "except handlers that only pass/continue (count)",
               "broad_kept_going": "bare or Exception handlers that neither re-raise nor exit: print and go on, "
                                   "return empty or fall back (the guide's token or harmful handling, count)",
               **SCOPE_METRICS}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources, scope = found
        specific = swallowing = raises = kept_going = 0
        locations: list[Location] = []
        for src in sources:
            for node in ast.walk(src.tree):
                if isinstance(node, ast.ExceptHandler):
                    broad = node.type is None or (isinstance(node.type, ast.Name)
                                                  and node.type.id in ("Exception", "BaseException"))
                    silent = all(isinstance(s, (ast.Pass, ast.Continue)) or
                                 (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in node.body)
                    if silent:
                        swallowing += 1
                        text = "error swallowed: " + snippet(src, node.lineno)
                        locations.append(Location(src.path, node.lineno, text))
                    elif broad and not _stops(node):
                        kept_going += 1
                        text = "caught and went on: " + snippet(src, node.lineno)
                        locations.append(Location(src.path, node.lineno, text))
                    elif not broad:
                        specific += 1
                        locations.append(Location(src.path, node.lineno, "handled: " + snippet(src, node.lineno)))
                elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                    raises += 1
                    locations.append(Location(src.path, node.lineno, "raises: " + snippet(src, node.lineno)))
        return self.evidence(
            OK,
            f"{specific} specific handler(s), {raises} error(s) raised with a message, "
            f"{swallowing} handler(s) that swallow errors",
            metrics={"specific_handlers": specific, "raises_with_message": raises, "swallowing_handlers": swallowing,
                     "broad_kept_going": kept_going, **scope.metrics()},
            locations=locations[:12],
            findings=scope_findings(ctx, scope),
            confidence=0.6,
        )
