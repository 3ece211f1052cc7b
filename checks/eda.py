"""Annex A1 section 2, exploratory data analysis, read from the notebook's stored cells and outputs.

A plot counts only when it was rendered (an image output); statistics count when they were computed
(an output) and explained (markdown). Nothing is executed on the host. The evidence keeps, per cell,
what each output contributed (`data["cells"]`), so that once the notebook was re-executed in the
sandbox (NBK001) `reconcile_with_reexecution` drops the outputs of cells that fail or do not produce
them, and marks stored outputs no re-execution confirmed with a lower confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat

from checks.base import ERROR, NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext

MAX_NOTEBOOK_BYTES = 50_000_000
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
PLOT_KINDS = {
    "histogram": r"\bhist(plot)?\b|\.hist\(|kdeplot|displot|distplot",
    "box": r"box(plot)?\b|violinplot",
    "bar": r"\bbar(plot|h)?\b|countplot|catplot",
    "scatter": r"scatter|pairplot|jointplot|regplot|lmplot",
    "heatmap": r"heatmap|corr\(\).*imshow|matshow",
    "line": r"lineplot|\.plot\(",
}
STAT_KINDS = {
    "describe": r"\.describe\(",
    "mean": r"\.mean\(",
    "median": r"\.median\(",
    "mode": r"\.mode\(",
    "std": r"\.std\(",
    "variance": r"\.var\(",
    "correlation": r"\.corr\(|corrwith|pearsonr|spearmanr|chi2_contingency",
    "groupby": r"groupby\(|pivot_table|crosstab",
    "counts": r"value_counts\(|isna\(\)\.sum|isnull\(\)\.sum",
}
STAT_WORDS = (r"\b(mean|median|mode|standard deviation|std|variance|skew\w*|distribution|correlat\w*|percent\w*|"
              r"quartile|outlier\w*)\b")


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


def _images(outputs: list[dict]) -> int:
    return sum(1 for out in outputs for kind in IMAGE_TYPES if kind in (out.get("data") or {}))


def _has_output(outputs: list[dict]) -> bool:
    return any(out.get("output_type") in ("execute_result", "display_data", "stream") for out in outputs)


def _columns_in(text: str, columns: tuple[str, ...]) -> set[str]:
    return {c for c in columns if re.search(rf"\b{re.escape(c)}\b", text)}


def _notebook_or_reason(check: Check, ctx: CheckContext) -> NotebookView | Evidence:
    view = load_notebook(ctx)
    if view is None:
        return check.evidence(NOT_APPLICABLE, "no notebook in the submission", metrics={"notebook": False})
    if view.problem and view.grader_limit:
        return check.evidence(ERROR, f"not measured: {view.problem}", findings=[f"grader limit: {view.problem}"],
                              confidence=0.0)
    if view.problem:
        return check.evidence(NOT_APPLICABLE, view.problem, metrics={"notebook": False}, findings=[view.problem])
    return view


class RenderedPlots(Check):
    code = "EDA001"
    name = "rendered-plots"
    lines = ("eda.visualisation",)
    summary = ("Counts plots rendered in the notebook's stored outputs, their kinds, and how many link two "
               "variables or a variable to the target; a cell that fails or renders nothing when the notebook is "
               "re-executed (NBK001) does not count.")
    rationale = ("Data visualisation asks for appropriate visualisation tools that show the relationship between "
                 "variables; a plot that was never rendered, or one generic histogram, does not show it.")
    example = "sns.boxplot(x='category', y='amount', hue='target') rendered: a relationship plot of kind box."

    metrics = {"notebook": "a readable notebook was found",
               "plots": "rendered plot images in stored outputs (count)",
               "relationship_plots": "rendered plots relating two variables or one to the target (count)",
               "plot_kinds": "distinct plot kinds recognised, 0-6 (histogram, box, bar, scatter, heatmap, line)",
               "confirmed_by_reexecution": "every counted cell was confirmed by the notebook's re-execution"}

    def run(self, ctx: CheckContext) -> Evidence:
        view = _notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        cells = []
        for number, source, outputs in view.code_cells:
            images = _images(outputs)
            if not images:
                continue
            columns = _columns_in(source, ctx.dataset_columns)
            relates = len(columns) >= 2 or (ctx.target in columns and len(columns) >= 1 and "hue" in source) \
                or bool(re.search(r"heatmap|pairplot|groupby|crosstab|corr", source))
            cells.append({"cell": number, "images": images, "relates": relates,
                          "kinds": sorted(k for k, pattern in PLOT_KINDS.items() if re.search(pattern, source)),
                          "first": source.strip().splitlines()[0][:100] if source.strip() else ""})
        evidence = self.evidence(OK, "", data={"notebook": view.path, "cells": cells})
        plot_evidence(evidence)
        return evidence


def plot_evidence(evidence: Evidence) -> None:
    """EDA001's metrics, summary and locations from its per-cell data (recomputed after the re-execution)."""
    cells = evidence.data["cells"]
    path = evidence.data["notebook"]
    plots = sum(c["images"] for c in cells)
    relationship = sum(c["images"] for c in cells if c["relates"])
    kinds = sorted({k for c in cells for k in c["kinds"]})
    evidence.metrics.update({"notebook": True, "plots": plots, "relationship_plots": relationship,
                             "plot_kinds": len(kinds)})
    evidence.summary = (f"{plots} rendered plot(s) in {path}, {relationship} relating variables; kinds: "
                        f"{', '.join(kinds) or 'none recognised'}")
    evidence.locations = [
        Location(path, c["cell"], f"cell {c['cell']}: {c['images']} plot(s), "
                 f"{'relationship' if c['relates'] else 'single variable'}: {c['first']}") for c in cells[:12]]


class DescriptiveStatistics(Check):
    code = "EDA002"
    name = "descriptive-statistics"
    lines = ("eda.statistics",)
    summary = ("Finds descriptive statistics computed in cells with stored output (describe, mean, median, mode, "
               "std, variance, correlations, group comparisons) and markdown that explains them; outputs of cells "
               "that fail when re-executed (NBK001) do not count.")
    rationale = ("Statistical understanding asks for descriptive statistics with a good explanation and an "
                 "analysis of the relationship between variables.")
    example = "df.describe() with output, followed by markdown on the skew of amount: computed and explained."

    metrics = {"notebook": "a readable notebook was found",
               "stat_kinds": "distinct kinds of statistics computed with output, 0-9",
               "explained_cells": "markdown cells discussing statistics (count)",
               "explanation_words": "words in those markdown cells (count)",
               "relationship_stats": "correlations or group comparisons computed",
               "confirmed_by_reexecution": "every counted cell was confirmed by the notebook's re-execution"}

    def run(self, ctx: CheckContext) -> Evidence:
        view = _notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        cells = []
        for number, source, outputs in view.code_cells:
            found = sorted(k for k, pattern in STAT_KINDS.items() if re.search(pattern, source))
            if found and _has_output(outputs):
                cells.append({"cell": number, "stats": found})
        explained = [(n, text) for n, text in view.markdown if re.search(STAT_WORDS, text, re.IGNORECASE)]
        evidence = self.evidence(OK, "", data={
            "notebook": view.path, "cells": cells, "explained_cells": len(explained),
            "explanation_words": sum(len(text.split()) for _, text in explained),
            "markdown": [[n, f"markdown cell {n}: {t.strip()[:100]}"] for n, t in explained[:4]]})
        statistics_evidence(evidence)
        return evidence


def statistics_evidence(evidence: Evidence) -> None:
    """EDA002's metrics, summary and locations from its per-cell data (recomputed after the re-execution)."""
    data = evidence.data
    path = data["notebook"]
    kinds: set[str] = set()
    locations: list[Location] = []
    for cell in data["cells"]:
        found = set(cell["stats"])
        if found - kinds and len(locations) < 10:
            locations.append(Location(path, cell["cell"], f"cell {cell['cell']}: {', '.join(sorted(found))}"))
        kinds |= found
    evidence.metrics.update({"notebook": True, "stat_kinds": len(kinds), "explained_cells": data["explained_cells"],
                             "explanation_words": data["explanation_words"],
                             "relationship_stats": bool(kinds & {"correlation", "groupby"})})
    evidence.summary = (f"{len(kinds)} kind(s) of statistics computed ({', '.join(sorted(kinds)) or 'none'}); "
                        f"{data['explained_cells']} markdown cell(s) discuss them ({data['explanation_words']} words)")
    evidence.locations = locations + [Location(path, n, text) for n, text in data["markdown"]]


class WrittenInsights(Check):
    code = "EDA003"
    name = "written-insights"
    lines = ("eda.insights",)
    summary = ("Measures the markdown narrative of the notebook: words, dataset columns discussed, and whether "
               "the findings are tied to the pipeline (features, cleaning) in the notebook or the README.")
    rationale = ("Deriving insights asks for insights extracted and explained, linked into a coherent story, "
                 "and features engineered from them. A person judges the story; the grader measures its extent.")
    example = "A closing 'Key findings' cell naming peak hours, echoed by is_peak_hour in src/features.py."

    metrics = {"notebook": "a readable notebook was found",
               "markdown_words": "words in the notebook's markdown (count)",
               "columns_discussed": "dataset columns named in the markdown (count)",
               "linked_to_pipeline": "the findings are tied to features/cleaning in the notebook or README"}

    def run(self, ctx: CheckContext) -> Evidence:
        view = _notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        text = "\n".join(t for _, t in view.markdown)
        words = len(text.split())
        columns = _columns_in(text, ctx.dataset_columns)
        readme = ctx.read_text(ctx.readme) if ctx.readme else ""
        linked = bool(re.search(r"\b(feature|pipeline|engineer\w*|clean\w*|impute\w*)\b", text, re.IGNORECASE)) \
            and bool(re.search(r"\b(finding|insight|observ\w*|conclu\w*)\b", (text + (readme or "")), re.IGNORECASE))
        headline = [(n, t) for n, t in view.markdown if re.search(r"insight|finding|summary|conclusion", t, re.I)]
        if not view.markdown:
            return self.evidence(OK, f"{view.path} has no markdown at all: no insight is written",
                                 metrics={"notebook": True, "markdown_words": 0, "columns_discussed": 0,
                                          "linked_to_pipeline": False})
        return self.evidence(
            OK,
            f"{len(view.markdown)} markdown cell(s), {words} words, {len(columns)} dataset column(s) discussed; "
            f"{'findings tied to the pipeline' if linked else 'no link from findings to the pipeline'}",
            metrics={"notebook": True, "markdown_words": words, "columns_discussed": len(columns),
                     "linked_to_pipeline": linked},
            locations=[Location(view.path, n, t.strip()[:120]) for n, t in headline[:4]],
            confidence=0.5,
        )


# ---------------------------------------------------------------- the re-execution corrects the stored outputs

UNCONFIRMED = "stored outputs, not confirmed by re-execution"
UNCONFIRMED_CONFIDENCE = 0.5  # factor on a check's confidence when some of what it counted is unconfirmed
FAILED = ("error", "timeout")
MAX_DROPPED_LISTED = 10


def _reproduced(code: str, fresh_kinds: list[str]) -> bool:
    """Did the re-executed cell produce what the check counted: an image for EDA001, any output for EDA002?"""
    return "image" in fresh_kinds if code == "EDA001" else bool(set(fresh_kinds) - {"error"})


def _cell_verdicts(code: str, counted: list[dict], nbk: Evidence) -> dict[int, str]:
    """Cell number -> "" (confirmed), "unconfirmed", or why its stored output does not count."""
    rows = {row["cell"]: row for row in nbk.data.get("cells", []) if isinstance(row, dict) and "cell" in row}
    kernel_died = "kernel died" in str(nbk.data.get("kernel_error") or "")
    verdicts = {}
    for cell in counted:
        row = rows.get(cell["cell"])
        if row is None:
            verdicts[cell["cell"]] = "unconfirmed"
        elif row["status"] in FAILED:
            verdicts[cell["cell"]] = f"fails when re-executed ({row.get('error') or row['status']})"
        elif row["status"] == "not_run":
            verdicts[cell["cell"]] = "never reached: the kernel died earlier" if kernel_died else "unconfirmed"
        elif not _reproduced(code, list(row.get("fresh_kinds") or ())):
            verdicts[cell["cell"]] = "ran, but re-executed it does not produce this output"
        else:
            verdicts[cell["cell"]] = ""
    return verdicts


def _unconfirmed_reason(nbk: Evidence | None, notebook: str) -> str | None:
    """Why no cell of `notebook` was confirmed by a re-execution, or None when one ran over it."""
    if nbk is None or nbk.status == NOT_APPLICABLE:
        return "the notebook was not re-executed"
    if nbk.status == ERROR:
        return f"the re-execution failed on the grader's side ({nbk.summary})"
    if not nbk.metrics.get("reexecuted") or not isinstance(nbk.data.get("cells"), list):
        return f"the re-execution did not finish ({nbk.summary})"
    if nbk.data.get("notebook") != notebook:
        return f"the re-execution ran {nbk.data.get('notebook')}, not {notebook}"
    return None


def _adjust(evidence: Evidence, nbk: Evidence | None) -> str | None:
    """Drop the cells the re-execution refutes from one EDA check's data, recompute it; the note, if any."""
    data = evidence.data
    reason, dropped, unconfirmed = _judge(evidence, nbk)
    before = {k: evidence.metrics[k] for k in ("plots", "relationship_plots", "plot_kinds", "stat_kinds")
              if k in evidence.metrics}
    data["cells"] = [c for c in data["cells"] if c["cell"] not in dropped]
    data["reexecution"] = {"stored_metrics": before, "dropped": {str(n): why for n, why in dropped.items()},
                           "unconfirmed": unconfirmed, "reason": reason or ""}
    (plot_evidence if evidence.code == "EDA001" else statistics_evidence)(evidence)
    evidence.metrics["confirmed_by_reexecution"] = not unconfirmed
    _say_dropped(evidence, dropped)
    if unconfirmed:
        why = reason or f"the re-execution did not reach cells {', '.join(map(str, unconfirmed[:10]))}"
        evidence.summary += f"; {UNCONFIRMED} ({why})"
        evidence.findings.append(f"{UNCONFIRMED}: {len(unconfirmed)} cell(s) counted from the stored notebook ({why})")
        evidence.confidence = round(evidence.confidence * UNCONFIRMED_CONFIDENCE, 2)
    return evidence.summary if dropped or unconfirmed else None


def _judge(evidence: Evidence, nbk: Evidence | None) -> tuple[str | None, dict[int, str], list[int]]:
    """(why nothing is confirmed or None, cell -> why its output does not count, cells counted unconfirmed)."""
    counted = evidence.data["cells"]
    reason = _unconfirmed_reason(nbk, evidence.data["notebook"])
    verdicts = {c["cell"]: "unconfirmed" for c in counted} if reason else _cell_verdicts(evidence.code, counted, nbk)
    dropped = {n: why for n, why in verdicts.items() if why and why != "unconfirmed"}
    return reason, dropped, sorted(n for n, why in verdicts.items() if why == "unconfirmed")


def _say_dropped(evidence: Evidence, dropped: dict[int, str]) -> None:
    """One finding per cell whose stored output no longer counts (capped), and a word in the summary."""
    for number, why in sorted(dropped.items())[:MAX_DROPPED_LISTED]:
        evidence.findings.append(f"{evidence.data['notebook']}, cell {number}: its stored output is not counted: "
                                 f"it {why}")
    if len(dropped) > MAX_DROPPED_LISTED:
        evidence.findings.append(f"{len(dropped) - MAX_DROPPED_LISTED} more cells' stored outputs are not counted")
    if dropped:
        evidence.summary += f"; {len(dropped)} cell(s) not counted: not reproduced when the notebook was re-executed"


CELL_FIELDS = {"EDA001": {"cell": int, "images": int, "relates": bool, "kinds": list, "first": str},
               "EDA002": {"cell": int, "stats": list}}


def _well_formed(evidence: Evidence) -> bool:
    """The per-cell data has the shape the checks write (static evidence may come back from a sandbox)."""
    data = evidence.data
    fields = CELL_FIELDS[evidence.code]
    cells_ok = isinstance(data.get("notebook"), str) and all(
        isinstance(c, dict) and all(isinstance(c.get(k), t) for k, t in fields.items()) for c in data["cells"])
    if evidence.code == "EDA002":
        return cells_ok and isinstance(data.get("explained_cells"), int) and isinstance(data.get("markdown"), list) \
            and isinstance(data.get("explanation_words"), int)
    return cells_ok


def reconcile_with_reexecution(found: dict[str, Evidence]) -> list[str]:
    """Let NBK001's re-execution correct EDA001/EDA002, read from stored outputs; returns what changed.

    Outputs of cells that fail (or do not produce them) when re-executed do not count; when no re-execution
    confirmed them (none ran, the kernel failed, it was switched off) they count with a lower confidence.
    """
    nbk = found.get("NBK001")
    notes = []
    for code in ("EDA001", "EDA002"):
        evidence = found.get(code)
        if evidence is None or evidence.status != OK or not isinstance(evidence.data.get("cells"), list) \
                or "reexecution" in evidence.data:  # not measured, or already reconciled
            continue
        if not _well_formed(evidence):
            evidence.status, evidence.confidence = ERROR, 0.0
            evidence.summary = f"{code}'s per-cell data is malformed: the grader cannot use it"
            notes.append(evidence.summary)
            continue
        note = _adjust(evidence, nbk)
        if note:
            notes.append(f"{code}: {note}")
    return notes
