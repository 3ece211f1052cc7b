"""PRG005: the habits that separate an organised pipeline from a notebook pasted into a .py file."""

from __future__ import annotations

import ast
import re

from checks.astutil import calls, short_name
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile
from checks.reachability import SCOPE_METRICS, measured_code

NOTEBOOK_MARKER = re.compile(r"^\s*#\s*(In\s*\[\s*\d*\s*\]\s*:|%%)", re.M)
COMMENTED_CODE = re.compile(r"^\s*#\s*(\w+(\[[^\]]*\])?\s*=[^=]|print\(|import \w|from \w+ import|\w+\.(fit|predict|"
                            r"plot|head|show|drop|fillna)\(|return\b|for \w+ in |if .*:\s*$)", re.M)
PLOT_PREFIXES = ("plt.", "sns.", "matplotlib.", "seaborn.")
LOGGING = re.compile(r"^\s*(import logging|from logging import|from loguru import|import loguru)", re.M)


def _functions(sources: list[SourceFile]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for s in sources for n in ast.walk(s.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _typed(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = [a for a in fn.args.args + fn.args.kwonlyargs if a.arg not in ("self", "cls")]
    return fn.returns is not None or any(a.annotation is not None for a in args)


def _constants(sources: list[SourceFile]) -> int:
    count = 0
    for src in sources:
        for node in src.tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            count += sum(1 for t in targets if isinstance(t, ast.Name) and t.id.isupper() and len(t.id) > 1)
    return count


def _plot_calls(sources: list[SourceFile]) -> list[Location]:
    from checks.astutil import call_name

    return [Location(src.path, node.lineno, call_name(node)) for src, node in calls(sources)
            if call_name(node).startswith(PLOT_PREFIXES) or short_name(node) in ("savefig", "show") and
            call_name(node).startswith(("plt", "fig"))]


class CodeCraft(Check):
    code = "PRG005"
    name = "code-craft"
    lines = ("prog.readability", "prog.self_explanatory")
    summary = ("Measures, in the code run.sh runs: typed functions, logging instead of prints, named module "
               "constants, module docstrings, and the marks of a notebook export (cell markers, commented-out code, "
               "plotting calls in pipeline code).")
    rationale = ("Readability level 3 asks for short typed functions, named constants, logging and a clear "
                 "orchestrator; level 1 is a notebook exported as a script with commented-out code and plotting "
                 "left in the pipeline (guide: prog.readability).")
    example = "src/main.py:12 `# In[3]:` and 14 commented-out lines: a notebook exported as a script."
    metrics = {**SCOPE_METRICS, "functions": "functions and methods defined",
               "typed_share": "share 0-1 of functions with a parameter or return annotation",
               "uses_logging": "the code imports logging (or loguru)",
               "prints": "print() calls", "constants": "module-level UPPER_CASE names",
               "module_doc_share": "share 0-1 of modules with a docstring",
               "notebook_markers": "lines like `# In[3]:` or `# %%` (a notebook exported as a script)",
               "commented_code": "comment lines that are code", "plot_calls": "matplotlib/seaborn calls",
               "main_guard": "some module has `if __name__ == \"__main__\"`"}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources = found[0]
        fns = _functions(sources)
        text = "\n".join(s.text or "" for s in sources)
        markers = NOTEBOOK_MARKER.findall(text)
        commented = COMMENTED_CODE.findall(text)
        plots = _plot_calls(sources)
        prints = sum(1 for _, node in calls(sources) if short_name(node) == "print")
        metrics = {
            "functions": len(fns), "typed_share": round(sum(map(_typed, fns)) / len(fns), 3) if fns else 0.0,
            "uses_logging": bool(LOGGING.search(text)), "prints": prints, "constants": _constants(sources),
            "module_doc_share": round(sum(1 for s in sources if ast.get_docstring(s.tree)) / len(sources), 3),
            "notebook_markers": len(markers), "commented_code": len(commented), "plot_calls": len(plots),
            "main_guard": "__name__" in text and "__main__" in text,
        }
        return self.evidence(
            OK,
            f"{metrics['typed_share']:.0%} of {len(fns)} functions typed; "
            f"{'logging' if metrics['uses_logging'] else 'no logging'}, {prints} print(s), "
            f"{metrics['constants']} constant(s); {len(markers)} notebook cell marker(s), {len(commented)} "
            f"commented-out code line(s), {len(plots)} plotting call(s) in pipeline code",
            metrics=metrics, locations=plots[:3], confidence=0.7)
