"""Source normalisation before tokenising: strings and comments blanked in place (columns kept), and dead code blanked.

Dead code is what an obfuscator inserts between real statements: `pass`, expression statements without calls,
assignments/imports whose names are never read, `if False:` blocks, functions/classes never referenced. Blanking it
(instead of rewriting the AST) keeps every remaining token at its original line, so matches map back to real lines.
"""

from __future__ import annotations

import ast
import gc
import operator
import re
from collections import Counter
from dataclasses import dataclass, field

from grader.similarity.extract import CodeUnit

_STRIP = re.compile(
    r"(?=[#\\'\"rRbBuUfF])"  # fail fast where nothing can start
    r"(?:(?P<c>#[^\n]*)"
    r"|(?P<b>\\\n)"
    r"|(?P<s>(?:(?<![\w])[rRbBuUfF]{1,2})?(?:"
    r"'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\Z)"
    r'|"""(?:[^"\\]|\\.|"(?!""))*+(?:"""|\Z)'
    r"|'(?:[^'\\\n]|\\.)*+(?:'|(?=\n)|\Z)"
    r'|"(?:[^"\\\n]|\\.)*+(?:"|(?=\n)|\Z)'
    r")))",
    re.S,
)
_NOT_NL = re.compile(r"[^\n]")
IDENT = re.compile(r"(?<![\w])[^\W\d]\w*")
_FSTRING_FIELD = re.compile(r"\{([^{}]*)\}")
_PLAIN_IDENT = re.compile(r"[A-Za-z_]\w*")
_MAX_ITERATIONS = 6
_HARMLESS_DECORATORS = frozenset(
    {"property", "staticmethod", "classmethod", "setter", "getter", "deleter", "wraps", "cache", "lru_cache",
     "cached_property", "dataclass", "total_ordering", "abstractmethod", "override", "final"}
)
_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


def strip_strings_comments(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Comments → spaces, each string literal → '$' + spaces (newlines kept), so lines and columns do not move.

    Also returns the names a string reads: fields of f-strings and identifier-like strings (getattr, __all__), as
    (line, column of the string's '$', name)."""
    reads: list[tuple[int, int, str]] = []
    state = [0, 1]  # a position already scanned and its line

    def replace(match: re.Match) -> str:
        literal = match.group()
        kind = match.lastgroup
        if kind == "c":
            return " " * len(literal)
        if kind == "b":
            return " \n"
        quote = 0
        while literal[quote] not in "'\"":
            quote += 1
        found: list[str] = []
        if quote and "f" in literal[:quote].lower():
            for fieldtext in _FSTRING_FIELD.findall(literal):
                found.extend(IDENT.findall(fieldtext))
        elif len(literal) - quote < 80:
            body = literal[quote:].strip("'\"")
            if _PLAIN_IDENT.fullmatch(body):
                found.append(body)
        if found:
            start = match.start()
            state[1] += text.count("\n", state[0], start)
            state[0] = start
            col = start - (text.rfind("\n", 0, start) + 1)
            reads.extend((state[1], col, name) for name in found)
        if "\n" in literal:
            return "$" + _NOT_NL.sub(" ", literal[1:])
        return "$" + " " * (len(literal) - 1)

    stripped = _STRIP.sub(replace, text)
    return stripped, reads


def _truth(node: ast.expr) -> bool | None:
    """The truth value of a test made only of constants (`False`, `0`, `1 > 2`, `not True and x`), else None."""
    if isinstance(node, ast.Constant):
        return _constant_truth(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        value = _truth(node.operand)
        return None if value is None else not value
    if isinstance(node, ast.BoolOp):
        return _boolean_truth(node)
    if isinstance(node, ast.Compare) and all(isinstance(v, ast.Constant) for v in [node.left, *node.comparators]):
        return _comparison_truth(node)
    return None


def _constant_truth(node: ast.Constant) -> bool | None:
    """bool() of a constant; None for one whose truth cannot be taken."""
    try:
        return bool(node.value)
    except Exception:  # noqa: BLE001 - exotic constants
        return None


def _boolean_truth(node: ast.BoolOp) -> bool | None:
    """The truth of `and` / `or`: decided by one operand known False (and) or True (or), or by all known."""
    values = [_truth(v) for v in node.values]
    if isinstance(node.op, ast.And):
        if any(v is False for v in values):
            return False
        return True if all(v is True for v in values) else None
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def _comparison_truth(node: ast.Compare) -> bool | None:
    """The result of a chained comparison of constants; None when comparing them raises."""
    left = node.left.value  # type: ignore[attr-defined]
    try:
        for op, right_node in zip(node.ops, node.comparators, strict=False):
            right = right_node.value  # type: ignore[attr-defined]
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    except Exception:  # noqa: BLE001
        return None


# Builtins without effects on the program's state: an expression statement calling only these on constants
# (`print(3)`, `str(7).strip()`, `len([])`) reads nothing of the program and changes nothing.
_PURE_BUILTINS = frozenset(
    {"print", "str", "len", "int", "float", "bool", "abs", "round", "min", "max", "sum", "sorted", "list", "tuple",
     "dict", "set", "frozenset", "range", "repr", "format", "type", "isinstance", "hash", "id", "ord", "chr", "any",
     "all", "zip", "enumerate", "map", "filter", "reversed", "bytes", "divmod", "pow", "hex", "oct", "bin", "ascii"}
)


def _reads_nothing(node: ast.AST) -> bool:
    """True when an expression names only pure builtins (and its own comprehension variables)."""
    bound = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            if sub.id not in _PURE_BUILTINS and sub.id not in bound:
                return False
        elif isinstance(sub, ast.Await | ast.Yield | ast.YieldFrom | ast.NamedExpr | ast.Lambda):
            return False
    return True


def _expression_is_live(value: ast.expr) -> bool:
    """An expression statement matters when it calls (awaits, yields) something that reads the program's state."""
    if isinstance(value, ast.Call):
        root = value.func
        while isinstance(root, ast.Attribute | ast.Call | ast.Subscript):
            root = root.value if not isinstance(root, ast.Call) else root.func
        if isinstance(root, ast.Name) and root.id not in _PURE_BUILTINS:
            return True  # logger.info(...), main(), df.plot(...): the usual case, decided without a walk
    if isinstance(value, ast.Constant | ast.Name | ast.Attribute):
        return False
    return _has_effect(value) and not _reads_nothing(value)


def _has_effect(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call | ast.Await | ast.Yield | ast.YieldFrom | ast.NamedExpr) for n in ast.walk(node))


def _target_names(target: ast.expr, out: list[str]) -> bool:
    """Collect the names bound by a target; False when it also writes an attribute or a subscript."""
    if isinstance(target, ast.Name):
        out.append(target.id)
        return True
    if isinstance(target, ast.Starred):
        return _target_names(target.value, out)
    if isinstance(target, ast.Tuple | ast.List):
        return all(_target_names(e, out) for e in target.elts)
    return False


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


# statement kinds
_K_OTHER, _K_BIND, _K_DEF, _K_COMPOUND = 0, 1, 2, 3


@dataclass
class _Stmt:
    unit: int
    span: tuple[int, int, int, int]  # 1-based first line, char column, last line, char end column
    parent: int
    func: int  # innermost enclosing function statement, -1 at module / class level
    kind: int
    names: tuple[str, ...] = ()
    children: list[int] = field(default_factory=list)
    dead: bool = False


class _Analysis:
    """Dead-code analysis of one submission (all its units: names read in one module keep names of another alive)."""

    def __init__(self, units: list[CodeUnit]):
        self.units = units
        self.lines: list[list[str]] = []
        self.reads: list[list[tuple[int, int, str]]] = []
        self.stmts: list[_Stmt] = []
        self.partial: list[tuple[int, tuple[int, int, int, int]]] = []  # header spans blanked (if True: ...)
        self._dead_ids: set[int] = set()
        self._kept_ids: set[int] = set()  # statements kept whatever the rules say
        for index, unit in enumerate(units):
            stripped, reads = strip_strings_comments(unit.text)
            self.lines.append(stripped.split("\n"))
            self.reads.append(reads)
            source_lines = unit.text.split("\n")
            for first, last in _chunks(unit):
                self._parse_chunk(index, first, source_lines[first:last])

    # -- parsing -------------------------------------------------------------------------------------------------
    def _parse_chunk(self, unit: int, first: int, source_lines: list[str]) -> None:
        if not any(s.strip() for s in source_lines):
            return
        enabled = gc.isenabled()
        gc.disable()
        try:
            tree = ast.parse("\n".join(source_lines))
        except Exception:  # noqa: BLE001 - SyntaxError, ValueError (NUL bytes), RecursionError, MemoryError...
            return
        finally:
            if enabled:
                gc.enable()
        # node ids are only unique while their tree lives: ids from an earlier chunk's freed tree must not match here
        self._dead_ids.clear()
        self._kept_ids.clear()
        if self.units[unit].kind == "notebook" and tree.body and isinstance(tree.body[-1], ast.Expr):
            self._kept_ids.add(id(tree.body[-1]))  # a cell's last expression is displayed: its result is used
        self._flatten(unit, tree.body, first, source_lines)

    def _flatten(self, unit: int, body: list[ast.stmt], offset: int, source_lines: list[str]) -> None:
        stack: list[tuple[ast.stmt, int, int]] = [(node, -1, -1) for node in reversed(body)]
        while stack:
            node, parent, func = stack.pop()
            index = len(self.stmts)
            span = self._span(node, offset, source_lines)
            kind, names = (_K_OTHER, ()) if id(node) in self._kept_ids else _classify(node)
            self.stmts.append(_Stmt(unit, span, parent, func, kind, names))
            if parent >= 0:
                self.stmts[parent].children.append(index)
            inner_func = self._enclosing_function(node, index, func)
            if id(node) in self._dead_ids:
                self.stmts[index].dead = True
            if isinstance(node, ast.If | ast.While):
                self._constant_test(node, index, unit, span, offset, source_lines)
            for child in reversed(_child_statements(node)):
                stack.append((child, index, inner_func))

    def _enclosing_function(self, node: ast.stmt, index: int, func: int) -> int:
        """The function enclosing node's children; keeps the methods of a subclass, which its framework may call."""
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return index
        if isinstance(node, ast.ClassDef):
            if node.bases:  # methods of a subclass may be hooks its framework calls (fit, transform, run)
                self._kept_ids.update(id(n) for n in node.body if isinstance(n, ast.FunctionDef))
            return -1
        return func

    def _constant_test(
        self, node: ast.If | ast.While, index: int, unit: int, span: tuple[int, int, int, int], offset: int,
        source_lines: list[str],
    ) -> None:
        """Mark an `if` / `while` on a constant test: the whole statement, or its header and dead branch."""
        truth = _truth(node.test)
        if truth is False and (isinstance(node, ast.While) or not node.orelse):
            self.stmts[index].dead = True
        elif truth is not None and isinstance(node, ast.If) and node.body:
            # `if True: real` / `if False: junk else: real`: the header and the dead branch go
            self._dead_ids.update(id(n) for n in (node.body if truth is False else node.orelse))
            first_body = node.body[0]
            header_end = self._pos(first_body.lineno, first_body.col_offset, offset, source_lines)
            self.partial.append((unit, (span[0], span[1], header_end[0], header_end[1])))

    def _pos(self, line: int, byte_col: int, offset: int, source_lines: list[str]) -> tuple[int, int]:
        text = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
        col = byte_col if text.isascii() else len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
        return line + offset, col

    def _span(self, node: ast.stmt, offset: int, source_lines: list[str]) -> tuple[int, int, int, int]:
        line, col = node.lineno, node.col_offset
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            line = min(line, min(d.lineno for d in decorators))
        first = self._pos(line, col, offset, source_lines)
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else len(source_lines[end_line - 1])
        last = self._pos(end_line, end_col, offset, source_lines)
        return first[0], first[1], last[0], last[1]

    # -- liveness ------------------------------------------------------------------------------------------------
    def run(self) -> list[list[str]]:
        """Blank dead statements to a fixpoint; identifier counts are updated incrementally as statements die."""
        stmts = self.stmts
        # static rules first (pass, call-free expressions, constant assert, if False), then compounds
        for stmt in stmts:
            if stmt.kind == _K_OTHER and stmt.names == ("<dead>",):
                stmt.dead = True
        self._compounds()
        lines = [list(unit_lines) for unit_lines in self.lines]
        self._blanked = lines
        dead = self._effective_dead()
        for index, stmt in enumerate(stmts):
            if dead[index] and not (stmt.parent >= 0 and dead[stmt.parent]):
                self._blank_span(stmt.unit, stmt.span)
        for unit, span in self.partial:
            self._blank_span(unit, span)
        if not any(s.kind in (_K_BIND, _K_DEF) for s in stmts):
            return lines
        self._occurrences: Counter[str] = Counter()
        for unit, unit_lines in enumerate(lines):
            self._occurrences.update(IDENT.findall("\n".join(unit_lines)))
            self._occurrences.update(self._live_reads(unit, 1, len(unit_lines)))
        self._func_occurrences: dict[int, Counter[str]] = {}
        for _ in range(_MAX_ITERATIONS):
            if not self._names_pass():
                break
        return lines

    def _effective_dead(self) -> list[bool]:
        out = [False] * len(self.stmts)
        for index, stmt in enumerate(self.stmts):
            out[index] = stmt.dead or (stmt.parent >= 0 and out[stmt.parent])
        return out

    def _compounds(self) -> list[int]:
        stmts = self.stmts
        newly = []
        for index in range(len(stmts) - 1, -1, -1):
            stmt = stmts[index]
            if not stmt.dead and stmt.kind == _K_COMPOUND and stmt.children:
                if all(stmts[c].dead for c in stmt.children):
                    stmt.dead = True
                    newly.append(index)
        return newly

    def _segment(self, unit: int, span: tuple[int, int, int, int]) -> str:
        ul = self._blanked[unit]
        l1, c1, l2, c2 = span
        if not (0 < l1 <= len(ul)) or not (0 < l2 <= len(ul)):
            return ""
        if l1 == l2:
            return ul[l1 - 1][c1:c2]
        return "\n".join([ul[l1 - 1][c1:], *ul[l1 : l2 - 1], ul[l2 - 1][:c2]])

    def _blank_span(self, unit: int, span: tuple[int, int, int, int]) -> None:
        ul = self._blanked[unit]
        l1, c1, l2, c2 = span
        if not (0 < l1 <= len(ul)) or not (0 < l2 <= len(ul)):
            return
        if l1 == l2:
            text = ul[l1 - 1]
            ul[l1 - 1] = text[:c1] + " " * max(0, c2 - c1) + text[c2:]
            return
        ul[l1 - 1] = ul[l1 - 1][:c1]
        for middle in range(l1, l2 - 1):
            ul[middle] = ""
        ul[l2 - 1] = " " * c2 + ul[l2 - 1][c2:]

    def _live_reads(self, unit: int, first: int, last: int) -> list[str]:
        """Names read by strings between two lines whose string is not blanked yet."""
        ul = self._blanked[unit]
        out = []
        for line, col, name in self.reads[unit]:
            if first <= line <= last:
                text = ul[line - 1] if 0 < line <= len(ul) else ""
                if col < len(text) and text[col] == "$":
                    out.append(name)
        return out

    def _function_occurrences(self, scope: int) -> Counter[str]:
        counts = self._func_occurrences.get(scope)
        if counts is None:
            owner = self.stmts[scope]
            l1, l2 = owner.span[0], owner.span[2]
            counts = Counter(IDENT.findall("\n".join(self._blanked[owner.unit][l1 - 1 : l2])))
            counts.update(self._live_reads(owner.unit, l1, l2))
            self._func_occurrences[scope] = counts
        return counts

    def _kill(self, index: int) -> None:
        """Forget the identifiers of a statement that just died, then blank it."""
        stmt = self.stmts[index]
        gone = IDENT.findall(self._segment(stmt.unit, stmt.span))
        gone += self._live_reads(stmt.unit, stmt.span[0], stmt.span[2]) if self.reads[stmt.unit] else []
        self._occurrences.subtract(gone)
        scope = stmt.func
        while scope >= 0:
            counts = self._func_occurrences.get(scope)
            if counts is not None:
                counts.subtract(gone)
            scope = self.stmts[scope].func
        self._blank_span(stmt.unit, stmt.span)

    def _names_pass(self) -> bool:
        """One round: bindings read nowhere in their scope die, then their compounds; True if any did."""
        dead = self._effective_dead()
        stores, func_stores = self._stores(dead)
        newly = self._unread_bindings(dead, stores, func_stores)
        if not newly:
            return False
        newly += self._compounds()
        now_dead = self._effective_dead()
        for index in sorted(newly):
            parent = self.stmts[index].parent
            if parent >= 0 and now_dead[parent]:
                continue  # blanked with its parent
            self._kill(index)
        return True

    def _stores(self, dead: list[bool]) -> tuple[Counter[str], dict[int, Counter[str]]]:
        """How often each name is bound by live statements, in the submission and in each enclosing function."""
        stmts = self.stmts
        stores: Counter[str] = Counter()
        func_stores: dict[int, Counter[str]] = {}
        for index, stmt in enumerate(stmts):
            if dead[index] or not stmt.names or stmt.kind not in (_K_BIND, _K_DEF):
                continue
            stores.update(stmt.names)
            scope = stmt.func
            while scope >= 0:
                func_stores.setdefault(scope, Counter()).update(stmt.names)
                scope = stmts[scope].func
        return stores, func_stores

    def _unread_bindings(
        self, dead: list[bool], stores: Counter[str], func_stores: dict[int, Counter[str]],
    ) -> list[int]:
        """Live bindings none of whose names is read: marked dead and returned, last statement first."""
        stmts = self.stmts
        newly: list[int] = []
        for index in range(len(stmts) - 1, -1, -1):
            stmt = stmts[index]
            if dead[index] or stmt.kind not in (_K_BIND, _K_DEF) or not stmt.names:
                continue
            if not any(self._is_read(name, stmt.func, stores, func_stores) for name in stmt.names):
                stmt.dead = True
                newly.append(index)
        return newly

    def _is_read(self, name: str, scope: int, stores: Counter[str], func_stores: dict[int, Counter[str]]) -> bool:
        """Whether name occurs more often than it is bound, in the submission and within its function."""
        if name.startswith("__") and name.endswith("__"):
            return True
        if self._occurrences[name] - stores[name] <= 0:
            return False  # unread in the whole submission, so in every scope
        if scope < 0:
            return True
        return self._function_occurrences(scope)[name] - func_stores.get(scope, _NO_STORES)[name] > 0


_NO_STORES: Counter[str] = Counter()


def _child_statements(node: ast.stmt) -> list[ast.stmt]:
    """The statements nested in a statement: bodies, else and finally blocks, handlers and match cases."""
    children: list[ast.stmt] = []
    for attr in ("body", "orelse", "finalbody"):
        value = getattr(node, attr, None)
        if isinstance(value, list):
            children.extend(value)
    for handler in getattr(node, "handlers", ()) or ():
        children.extend(handler.body)
    for case in getattr(node, "cases", ()) or ():
        children.extend(case.body)
    return children


def _classify(node: ast.stmt) -> tuple[int, tuple[str, ...]]:
    """Kind of a statement and the names it binds (or ("<dead>",) for statically useless statements)."""
    if isinstance(node, ast.Pass):
        return _K_OTHER, ("<dead>",)
    if isinstance(node, ast.Expr):
        return (_K_OTHER, ()) if _expression_is_live(node.value) else (_K_OTHER, ("<dead>",))
    if isinstance(node, ast.Assert):
        return (_K_OTHER, ("<dead>",)) if _truth(node.test) is True else (_K_OTHER, ())
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        return _classify_targets(node.targets if isinstance(node, ast.Assign) else [node.target])
    if isinstance(node, ast.Import | ast.ImportFrom):
        return _classify_import(node)
    if isinstance(node, ast.Delete):
        return _classify_targets(node.targets)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return _classify_definition(node)
    if isinstance(node, ast.If | ast.While | ast.For | ast.AsyncFor | ast.With | ast.AsyncWith | ast.Try):
        return _K_COMPOUND, ()
    if type(node).__name__ == "TryStar":
        return _K_COMPOUND, ()
    return _K_OTHER, ()


def _classify_targets(targets: list[ast.expr]) -> tuple[int, tuple[str, ...]]:
    """An assignment or `del` binds its names when every target is a plain name (or a tuple of them)."""
    names: list[str] = []
    if all(_target_names(t, names) for t in targets) and names:
        return _K_BIND, tuple(names)
    return _K_OTHER, ()


def _classify_import(node: ast.Import | ast.ImportFrom) -> tuple[int, tuple[str, ...]]:
    """An import binds its aliases (a package's first part); `import *` binds names nobody can see."""
    bound = []
    for alias in node.names:
        if alias.name == "*":
            return _K_OTHER, ()
        bound.append(alias.asname or alias.name.split(".")[0])
    return _K_BIND, tuple(bound)


def _classify_definition(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[int, tuple[str, ...]]:
    """A def or class binds its name, unless a test runner, Python or a decorator may call it unseen."""
    if node.name.startswith("test") or (node.name.startswith("__") and node.name.endswith("__")):
        return _K_OTHER, ()
    if any(_decorator_name(d) not in _HARMLESS_DECORATORS for d in node.decorator_list):
        return _K_OTHER, ()  # a decorator may register it (click, pytest fixtures, flask routes)
    return _K_DEF, (node.name,)


def _chunks(unit: CodeUnit) -> list[tuple[int, int]]:
    """Line ranges [first, last) parsed separately: the whole file, or each notebook cell on its own."""
    count = unit.text.count("\n") + 1
    if unit.kind != "notebook" or not unit.line_map:
        return [(0, count)]
    chunks: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(unit.line_map) + 1):
        if index == len(unit.line_map) or unit.line_map[index][0] != unit.line_map[start][0]:
            chunks.append((start, index))
            start = index
    return chunks


def normalised_lines(units: list[CodeUnit], dead_code: bool = True) -> list[list[str]]:
    """Per unit, its lines with strings → '$', comments blanked and (if dead_code) dead statements blanked."""
    if not dead_code:
        return [strip_strings_comments(unit.text)[0].split("\n") for unit in units]
    return _Analysis(units).run()
