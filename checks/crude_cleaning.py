"""PRE003: crude cleaning the guide places at preprocessing 1 (every incomplete row dropped, blind IQR clipping)."""

from __future__ import annotations

import ast

from checks.astutil import short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile

QUANTILE_CALLS = {"quantile", "percentile", "nanpercentile", "nanquantile"}
LOWER_QUARTILES = {0.25, 25}


def _is_bare_dropna(call: ast.AST) -> bool:
    """`frame.dropna()` on a whole frame: no subset, column or threshold (inplace and how='any' allowed)."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "dropna"):
        return False
    if call.args or not isinstance(call.func.value, ast.Name):
        return False
    allowed = {"inplace", "how", "axis"}
    for keyword in call.keywords:
        if keyword.arg not in allowed:
            return False
        rows_axis = isinstance(keyword.value, ast.Constant) and keyword.value.value in (0, "index")
        if keyword.arg == "axis" and not rows_axis:
            return False
    return True


def _drops_incomplete_rows(stmt: ast.stmt) -> bool:
    """`df = df.dropna()` (possibly chained, e.g. `.reset_index(drop=True)`) or `df.dropna(inplace=True)`."""
    if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
        node = stmt.value
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr != "dropna":
            node = node.func.value
        return _is_bare_dropna(node)
    if isinstance(stmt, ast.Expr) and _is_bare_dropna(stmt.value):
        return any(k.arg == "inplace" for k in stmt.value.keywords)
    return False


def _lower_quartile(call: ast.Call) -> bool:
    """A quantile/percentile call asking for the lower quartile (alone or in a list with others)."""
    if short_name(call) not in QUANTILE_CALLS:
        return False
    for arg in list(call.args) + [k.value for k in call.keywords]:
        values = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
        if any(isinstance(v, ast.Constant) and v.value in LOWER_QUARTILES for v in values):
            return True
    return False


def _iqr_in_loop(loop: ast.For) -> ast.Call | None:
    """The lower-quartile call of an IQR rule computed for each column a loop visits, if any."""
    for node in ast.walk(loop):
        if isinstance(node, ast.Call) and _lower_quartile(node):
            return node
    return None


def crude_cleaning(sources: list[SourceFile]) -> tuple[list[Location], list[Location]]:
    """Where every incomplete row is dropped, and where an IQR rule is applied column after column."""
    dropped: list[Location] = []
    clipped: dict[tuple[str, int], Location] = {}  # nested loops find the same quartile call once
    for src in sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            if isinstance(node, ast.stmt) and _drops_incomplete_rows(node):
                dropped.append(Location(src.path, node.lineno, snippet(src, node.lineno)))
            elif isinstance(node, ast.For) and (found := _iqr_in_loop(node)) is not None:
                clipped.setdefault((src.path, found.lineno),
                                   Location(src.path, found.lineno, snippet(src, found.lineno)))
    return dropped, list(clipped.values())


class CrudeCleaning(Check):
    code = "PRE003"
    name = "crude-cleaning"
    lines = ("prep.preprocessing",)
    summary = ("Looks for the crude handling the marking guide places at level 1: every row with a missing value "
               "dropped (`df = df.dropna()` on the whole frame), and an IQR rule computed and applied column "
               "after column in a loop (blind clipping).")
    rationale = ("Data preprocessing 1 is crude or partial handling: dropping every incomplete row loses valid data, "
                 "and blind IQR clipping turns placeholders and impossible values into plausible ones while "
                 "truncating real tails, leaving the errors in the data.")
    example = "for col in NUMERIC: q1 = df[col].quantile(0.25) ... df[col] = df[col].clip(lo, hi)"

    metrics = {"drops_incomplete_rows": "the whole frame's incomplete rows are dropped (count of places)",
               "blanket_clipping": "an IQR rule computed per column in a loop (count of places)"}

    def run(self, ctx: CheckContext) -> Evidence:
        dropped, clipped = crude_cleaning(ctx.sources)
        parts = []
        if dropped:
            parts.append(f"every incomplete row dropped at {dropped[0]}")
        if clipped:
            parts.append(f"an IQR rule applied column after column at {clipped[0]}")
        return self.evidence(OK, "; ".join(parts) or "no whole-frame dropna and no blanket IQR rule",
                             metrics={"drops_incomplete_rows": len(dropped), "blanket_clipping": len(clipped)},
                             locations=(dropped + clipped)[:8])
