"""Annex A1 section 2, exploratory data analysis, read from the notebook's stored cells and outputs.

A plot counts only when it was rendered (an image output); statistics count when they were computed
(an output) and explained (markdown). Nothing is executed on the host. The evidence keeps, per cell,
what each output contributed (`data["cells"]`), so that once the notebook was re-executed in the
sandbox (NBK001) `checks.reconcile.reconcile_with_reexecution` drops the outputs of cells that fail
or do not produce them, and marks stored outputs no re-execution confirmed with a lower confidence.
"""

from __future__ import annotations

import re

from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.notebooks import has_output, images, notebook_or_reason

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


def _columns_in(text: str, columns: tuple[str, ...]) -> set[str]:
    return {c for c in columns if re.search(rf"\b{re.escape(c)}\b", text)}


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*-])|\n+")
QUANTITY = re.compile(r"\d\s*%|\b\d+\.\d+\b|\b0?\.\d+\b|\b\d+(\.\d+)?\s*(x|times|pp|percentage points)\b", re.I)


def quantified_findings(text: str, columns: tuple[str, ...]) -> list[str]:
    """Sentences that name a dataset column (any case, `_` or space) and give a measured quantity: a finding read
    off the data ("customers contacted before subscribe at 64% against 9%"), not a generic remark."""
    names = [re.compile(r"\b" + r"[_ ]".join(map(re.escape, re.split(r"[_ ]", c))) + r"\b", re.I)
             for c in columns if len(c) > 2]
    return [s.strip() for s in SENTENCE_END.split(text)
            if s and QUANTITY.search(s) and any(n.search(s) for n in names)]


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
        view = notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        cells = []
        for number, source, outputs in view.code_cells:
            rendered = images(outputs)
            if not rendered:
                continue
            columns = _columns_in(source, ctx.dataset_columns)
            relates = len(columns) >= 2 or (ctx.target in columns and len(columns) >= 1 and "hue" in source) \
                or bool(re.search(r"heatmap|pairplot|groupby|crosstab|corr", source))
            cells.append({"cell": number, "images": rendered, "relates": relates,
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
        view = notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        cells = []
        for number, source, outputs in view.code_cells:
            found = sorted(k for k, pattern in STAT_KINDS.items() if re.search(pattern, source))
            if found and has_output(outputs):
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
               "linked_to_pipeline": "the findings are tied to features/cleaning in the notebook or README",
               "quantified_findings": "markdown sentences that name a dataset column and give a measured quantity "
                                      "(a rate, a share, a ratio): findings read off the data (count)"}

    def run(self, ctx: CheckContext) -> Evidence:
        view = notebook_or_reason(self, ctx)
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
                                          "linked_to_pipeline": False, "quantified_findings": 0})
        findings = [(n, f) for n, t in view.markdown for f in quantified_findings(t, ctx.dataset_columns)]
        return self.evidence(
            OK,
            f"{len(view.markdown)} markdown cell(s), {words} words, {len(columns)} dataset column(s) discussed; "
            f"{'findings tied to the pipeline' if linked else 'no link from findings to the pipeline'}; "
            f"{len(findings)} quantified finding(s)",
            metrics={"notebook": True, "markdown_words": words, "columns_discussed": len(columns),
                     "linked_to_pipeline": linked, "quantified_findings": len(findings)},
            locations=[Location(view.path, n, t.strip()[:120]) for n, t in headline[:4]]
            + [Location(view.path, n, f"finding: {f[:160]}") for n, f in findings[:4]],
            confidence=0.5,
        )
