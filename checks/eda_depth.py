"""EDA004: how deep the notebook goes: formal tests, the full descriptive set, plots titled and interpreted."""

from __future__ import annotations

import re

from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.notebooks import images, notebook_or_reason

TESTS = re.compile(r"\b(chi2_contingency|chisquare|f_oneway|mannwhitneyu|kruskal|ttest_ind|ttest_rel|pointbiserialr|"
                   r"spearmanr|kendalltau|pearsonr|shapiro|ks_2samp|normaltest|anova_lm|mutual_info_classif|"
                   r"mutual_info_regression|cramers?_?v\w*|association)\s*\(", re.I)
DESCRIPTIVE = {"mean": r"\bmean\b", "median": r"\bmedian\b", "mode": r"\bmode\b",
               "std": r"\b(std|standard deviation)\b", "variance": r"\b(var|variance)\b", "skew": r"\bskew\w*"}
TITLE = re.compile(r"(set_title|\btitle\s*\(|suptitle|title\s*=)")
# a plot of how two factors combine: a two-way table (pivot with index and columns, a groupby on two keys), a
# faceted grid, or one call encoding three variables (x, y and hue)
INTERACTION = (re.compile(r"pivot_table\([^)]*\b(index\s*=[^)]*\bcolumns|columns\s*=[^)]*\bindex)\s*=", re.S),
               re.compile(r"groupby\(\s*\[[^\]]+,[^\]]+\]"),
               re.compile(r"\b(FacetGrid|catplot|relplot|lmplot|displot)\([^)]*\b(col|row)\s*=", re.S),
               re.compile(r"\b(crosstab)\([^)]*\[[^\]]+,[^\]]+\]", re.S))
THREE_ENCODINGS = re.compile(r"\b\w+plot\(([^()]|\([^()]*\))*\)", re.S)
INTERPRETATION_WORDS = 15


class EdaDepth(Check):
    code = "EDA004"
    name = "eda-depth"
    lines = ("eda.visualisation", "eda.statistics")
    summary = ("Counts the formal statistical tests the notebook runs (chi-square, ANOVA, Mann-Whitney, "
               "point-biserial ...), which of mean, median, mode, std, variance and skew it computes or discusses, "
               "and the share of plots that are titled and followed by a written interpretation.")
    rationale = ("Statistics level 3 needs the full descriptive set interpreted and relationships tested with "
                 "effect sizes; visualisation level 3 needs titled plots each followed by an interpretation "
                 "(guide: eda.statistics, eda.visualisation).")
    example = "scipy.stats.chi2_contingency on Contact Method x target, then a cell reading the p-value."
    metrics = {"formal_tests": "distinct statistical tests called in the notebook",
               "descriptive_kinds": "of mean, median, mode, std, variance, skew: how many appear",
               "plot_cells": "code cells with a stored image",
               "titled_share": "share 0-1 of plot cells that set a title",
               "interpreted_share": "share 0-1 of plot cells followed by markdown of 15+ words",
               "interaction_plots": "plot cells showing how two factors combine: a two-way pivot or groupby, a "
                                    "faceted grid, or x, y and hue in one call (count)"}

    def run(self, ctx: CheckContext) -> Evidence:
        view = notebook_or_reason(self, ctx)
        if isinstance(view, Evidence):
            return view
        code = "\n".join(src for _, src, _ in view.code_cells)
        words = "\n".join(t for _, t in view.markdown)
        tests = sorted({m.group(1).lower() for m in TESTS.finditer(code)})
        kinds = [k for k, p in DESCRIPTIVE.items() if re.search(p, code + "\n" + words, re.I)]
        plots, titled, interpreted = _plot_cells(view)
        interactions = [n for n, src, outputs in view.code_cells if images(outputs) and shows_interaction(src)]
        metrics = {"formal_tests": len(tests), "descriptive_kinds": len(kinds), "plot_cells": plots,
                   "titled_share": round(titled / plots, 3) if plots else 0.0,
                   "interpreted_share": round(interpreted / plots, 3) if plots else 0.0,
                   "interaction_plots": len(interactions)}
        return self.evidence(
            OK,
            f"{len(tests)} formal test(s) ({', '.join(tests) or 'none'}); descriptive statistics: "
            f"{', '.join(kinds) or 'none'}; {plots} plot cell(s), {titled} titled, {interpreted} followed by "
            f"an interpretation; {len(interactions)} showing an interaction",
            metrics=metrics, locations=[Location(view.path)] + [Location(view.path, n, "interaction plot")
                                                                 for n in interactions[:3]],
            confidence=0.7)


def _plot_cells(view) -> tuple[int, int, int]:
    """Cells with a stored image; of them, those that set a title and those followed by a written reading."""
    words_after = {number - 1: len(text.split()) for number, text in view.markdown}
    plots = [(n, src) for n, src, outputs in view.code_cells if images(outputs)]
    titled = sum(1 for _, src in plots if TITLE.search(src))
    interpreted = sum(1 for n, _ in plots if words_after.get(n, 0) >= INTERPRETATION_WORDS)
    return len(plots), titled, interpreted


def shows_interaction(source: str) -> bool:
    """Whether a plotting cell relates the target to two factors at once (see INTERACTION)."""
    if any(pattern.search(source) for pattern in INTERACTION):
        return True
    return any(all(re.search(rf"\b{k}\s*=", m.group(0)) for k in ("x", "y", "hue"))
               for m in THREE_ENCODINGS.finditer(source))
