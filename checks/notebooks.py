"""The EDA notebook as the checks read it: its code cells with their stored outputs, and its markdown."""

from __future__ import annotations

from dataclasses import dataclass, field

import nbformat

from checks.base import ERROR, NOT_APPLICABLE, Check, Evidence
from checks.context import CheckContext

MAX_NOTEBOOK_BYTES = 50_000_000
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


@dataclass
class NotebookView:
    """The parts of a notebook the EDA checks read."""

    path: str
    code_cells: list[tuple[int, str, list[dict]]] = field(default_factory=list)  # (cell no, source, outputs)
    markdown: list[tuple[int, str]] = field(default_factory=list)
    problem: str | None = None
    grader_limit: bool = False  # the problem is the grader's own limit (size), not the candidate's notebook


def load_notebook(ctx: CheckContext) -> NotebookView | None:
    """The EDA notebook (eda.ipynb first, else the first notebook), or None; parsed once per context."""
    if "notebook" not in ctx.memo:
        ctx.memo["notebook"] = _read_notebook(ctx)
    return ctx.memo["notebook"]


def _read_notebook(ctx: CheckContext) -> NotebookView | None:
    if not ctx.notebooks:
        return None
    preferred = sorted(ctx.notebooks, key=lambda p: (not p.endswith("eda.ipynb"), p.count("/"), p))
    rel = preferred[0]
    view = NotebookView(rel)
    size = (ctx.root / rel).stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        view.problem = (f"{rel}: {size:,} bytes, over the grader's {MAX_NOTEBOOK_BYTES:,}-byte limit for parsing a "
                        f"notebook; the grader could not analyse it")
        view.grader_limit = True
        return view
    text = ctx.read_text(rel, MAX_NOTEBOOK_BYTES) or ""
    if text.startswith("version https://git-lfs"):
        view.problem = f"{rel}: a Git LFS pointer, not the notebook itself"
        return view
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed JSON / schema
        view.problem = f"{rel}: not a readable notebook ({type(exc).__name__}: {str(exc)[:120]})"
        return view
    for number, cell in enumerate(nb.cells, start=1):
        source = cell.get("source", "")
        if cell.get("cell_type") == "code":
            view.code_cells.append((number, source, list(cell.get("outputs", []))))
        elif cell.get("cell_type") == "markdown":
            view.markdown.append((number, source))
    if not view.code_cells and not view.markdown:
        view.problem = f"{rel}: the notebook is empty"
    return view


def images(outputs: list[dict]) -> int:
    return sum(1 for out in outputs for kind in IMAGE_TYPES if kind in (out.get("data") or {}))


def has_output(outputs: list[dict]) -> bool:
    return any(out.get("output_type") in ("execute_result", "display_data", "stream") for out in outputs)



def notebook_or_reason(check: Check, ctx: CheckContext) -> NotebookView | Evidence:
    view = load_notebook(ctx)
    if view is None:
        return check.evidence(NOT_APPLICABLE, "no notebook in the submission", metrics={"notebook": False})
    if view.problem and view.grader_limit:
        return check.evidence(ERROR, f"not measured: {view.problem}", findings=[f"grader limit: {view.problem}"],
                              confidence=0.0)
    if view.problem:
        return check.evidence(NOT_APPLICABLE, view.problem, metrics={"notebook": False}, findings=[view.problem])
    return view


