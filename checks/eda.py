"""Annex A1 section 2, exploratory data analysis, read from the notebook's stored cells and outputs.

A plot counts only when it was rendered (an image output); statistics count when they were computed
(an output) and explained (markdown). Nothing is executed on the host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
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
    path = ctx.root / rel
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        view.problem = f"{rel}: larger than {MAX_NOTEBOOK_BYTES} bytes; not analysed"
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
    if view.problem:
        return check.evidence(NOT_APPLICABLE, view.problem, metrics={"notebook": False}, findings=[view.problem])
    return view


class RenderedPlots(Check):
    code = "EDA001"
    name = "rendered-plots"
    lines = ("eda.visualisation",)
    summary = ("Counts plots rendered in the notebook's stored outputs, their kinds, and how many relate two "
               "variables or a variable to the target.")
    rationale = ("Data visualisation asks for appropriate visualisation tools that show the relationship between "
                 "variables; a plot that was never rendered, or one generic histogram, does not show it.")
    example = "sns.boxplot(x='weather', y='distance_km', hue='late') rendered: a relationship plot of kind box."

    def run(self, ctx: CheckContext) -> Evidence:
        view = _notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        plots = relationship = 0
        kinds: set[str] = set()
        locations: list[Location] = []
        for number, source, outputs in view.code_cells:
            images = _images(outputs)
            if not images:
                continue
            plots += images
            cell_kinds = {k for k, pattern in PLOT_KINDS.items() if re.search(pattern, source)}
            kinds |= cell_kinds
            columns = _columns_in(source, ctx.dataset_columns)
            relates = len(columns) >= 2 or (ctx.target in columns and len(columns) >= 1 and "hue" in source) \
                or bool(re.search(r"heatmap|pairplot|groupby|crosstab|corr", source))
            relationship += images if relates else 0
            if len(locations) < 12:
                label = "relationship" if relates else "single variable"
                first = source.strip().splitlines()[0][:100] if source.strip() else ""
                locations.append(Location(view.path, number, f"cell {number}: {images} plot(s), {label}: {first}"))
        return self.evidence(
            OK,
            f"{plots} rendered plot(s) in {view.path}, {relationship} relating variables; kinds: "
            f"{', '.join(sorted(kinds)) or 'none recognised'}",
            metrics={"notebook": True, "plots": plots, "relationship_plots": relationship, "plot_kinds": len(kinds)},
            locations=locations,
        )


class DescriptiveStatistics(Check):
    code = "EDA002"
    name = "descriptive-statistics"
    lines = ("eda.statistics",)
    summary = ("Finds descriptive statistics computed in cells with stored output (describe, mean, median, mode, "
               "std, variance, correlations, group comparisons) and markdown that explains them.")
    rationale = ("Statistical understanding asks for descriptive statistics with a good explanation and an "
                 "analysis of the relationship between variables.")
    example = "df.describe() with output, followed by markdown on the skew of distance_km: computed and explained."

    def run(self, ctx: CheckContext) -> Evidence:
        view = _notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        kinds: set[str] = set()
        locations: list[Location] = []
        for number, source, outputs in view.code_cells:
            if not _has_output(outputs):
                continue
            found = {k for k, pattern in STAT_KINDS.items() if re.search(pattern, source)}
            if found - kinds and len(locations) < 10:
                locations.append(Location(view.path, number, f"cell {number}: {', '.join(sorted(found))}"))
            kinds |= found
        explained = [(n, text) for n, text in view.markdown if re.search(STAT_WORDS, text, re.IGNORECASE)]
        words = sum(len(text.split()) for _, text in explained)
        relationship = bool(kinds & {"correlation", "groupby"})
        return self.evidence(
            OK,
            f"{len(kinds)} kind(s) of statistics computed ({', '.join(sorted(kinds)) or 'none'}); "
            f"{len(explained)} markdown cell(s) discuss them ({words} words)",
            metrics={"notebook": True, "stat_kinds": len(kinds), "explained_cells": len(explained),
                     "explanation_words": words, "relationship_stats": relationship},
            locations=locations + [Location(view.path, n, f"markdown cell {n}: {t.strip()[:100]}")
                                   for n, t in explained[:4]],
        )


class WrittenInsights(Check):
    code = "EDA003"
    name = "written-insights"
    lines = ("eda.insights",)
    summary = ("Measures the markdown narrative of the notebook: words, dataset columns discussed, and whether "
               "the findings are tied to the pipeline (features, cleaning) in the notebook or the README.")
    rationale = ("Deriving insights asks for insights extracted and explained, linked into a coherent story, "
                 "and features engineered from them. A person judges the story; the grader measures its extent.")
    example = "A closing 'Key findings' cell naming rush hours and storms, echoed by rush_hour in src/features.py."

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
