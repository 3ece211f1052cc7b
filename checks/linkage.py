"""LNK001: which EDA findings (columns and values the notebook's prose discusses) reach the pipeline's code."""

from __future__ import annotations

import ast
import re

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile
from checks.prose import (
    Sentence,
    column_matcher,
    columns_named,
    decision_table_rows,
    notebook_sentences,
    readme_sentences,
)
from checks.reachability import measured_code

DECISION = re.compile(r"(→|->|=>|\bso (we|i|the pipeline)\b|\btherefore\b|\bhence\b|\bwhich is why\b|"
                      r"\bled (us|me) to\b|"
                      r"\binform\w*\b|\bmotivat\w*\b|\bin the pipeline\b|\bthe pipeline (will|does|then)\b|"
                      r"\bwe (drop|impute|clip|cap|encode|create|engineer|convert|fix|keep|remove|flag)\w*\b|"
                      r"\bi (drop|impute|clip|cap|encode|create|engineer|convert|fix|keep|remove|flag)\w*\b)", re.I)
QUOTED_VALUE = re.compile(r"`([^`\n]{1,30})`|\"([^\"\n]{1,30})\"|'([^'\n]{1,30})'")


def _code_literals(sources: list[SourceFile]) -> set[str]:
    """Every string and number literal of the pipeline's code, normalised to lower case."""
    out = set()
    for src in sources:
        for node in ast.walk(src.tree) if src.tree is not None else ():
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)) \
                    and not isinstance(node.value, bool):
                out.add(str(node.value).strip().lower())
    return out


class EdaToPipeline(Check):
    code = "LNK001"
    name = "eda-to-pipeline"
    lines = ("eda.insights", "prep.feature_engineering")
    summary = ("Lists the dataset columns and quoted values the notebook's prose discusses and finds which of them "
               "the pipeline's code (or its config) handles; counts written finding-to-decision statements "
               "(README or notebook) that name a column.")
    rationale = ("Deriving insights asks for insights carried into the pipeline; level 3 wants a finding-to-"
                 "decision mapping and features engineered from the insights (guide: eda.insights, "
                 "prep.feature_engineering). A finding that never reaches the code is not used.")
    example = ("The notebook says '999 in Previous Contact Days means never contacted'; src/clean.py compares "
               "the column with 999: one finding linked.")
    metrics = {"columns_discussed": "dataset columns the notebook's prose names",
               "columns_linked": "of those, the columns the pipeline's code or config names",
               "linked_share": "columns_linked / columns_discussed (0 when nothing is discussed)",
               "values_linked": "quoted values from the prose (`999`, 'unknown') that are literals in the code",
               "decisions_mapped": "written finding-to-decision statements that name a dataset column",
               "decision_rows": "rows naming a dataset column in a findings table with a decision column (notebook "
                                "or README)"}

    def run(self, ctx: CheckContext) -> Evidence:
        prose = notebook_sentences(ctx)
        if not prose:
            return self.evidence(NOT_APPLICABLE, "no notebook prose to link to the pipeline",
                                 metrics={"columns_discussed": 0, "columns_linked": 0, "linked_share": 0.0,
                                          "values_linked": 0, "decisions_mapped": 0, "decision_rows": 0})
        found = measured_code(self, ctx)
        literals = _code_literals(found[0] if not isinstance(found, Evidence) else [])
        cols = tuple(c for c in ctx.dataset_columns if c and c != ctx.target)
        matcher = column_matcher(cols)
        discussed = _discussed(prose, matcher, cols)
        config = ctx.config_text.lower()
        linked = sorted(c for c in discussed if c.lower() in literals or c.lower() in config)
        values_linked = _values_linked(prose, cols, literals)
        decisions = _decisions(prose + readme_sentences(ctx), matcher, cols)
        rows = [row for row in decision_table_rows(ctx) if columns_named(row.text, matcher, cols)]
        return self.evidence(
            OK,
            f"{len(discussed)} column(s) discussed in the notebook, {len(linked)} handled in the pipeline "
            f"({', '.join(linked[:8]) or 'none'}); {len(values_linked)} discussed value(s) used in the code; "
            f"{len(decisions)} finding-to-decision statement(s), {len(rows)} row(s) of a finding-to-decision table",
            metrics={"columns_discussed": len(discussed), "columns_linked": len(linked),
                     "linked_share": round(len(linked) / len(discussed), 3) if discussed else 0.0,
                     "values_linked": len(values_linked), "decisions_mapped": len(decisions),
                     "decision_rows": len(rows)},
            locations=[discussed[c] for c in linked[:6]] + [Location(s.path, s.line, s.text[:140])
                                                             for s in decisions[:4] + rows[:2]],
            confidence=0.6)


def _decisions(sentences: list[Sentence], matcher, cols: tuple[str, ...]) -> list[Sentence]:
    """Written finding-to-decision statements that name a dataset column."""
    return [s for s in sentences if DECISION.search(s.text) and columns_named(s.text, matcher, cols)]


def _discussed(prose: list[Sentence], matcher, cols: tuple[str, ...]) -> dict[str, Location]:
    """Each dataset column the prose names, with where it is first discussed."""
    discussed: dict[str, Location] = {}
    for s in prose:
        for column in columns_named(s.text, matcher, cols):
            discussed.setdefault(column, Location(s.path, s.line, s.text[:140]))
    return discussed


def _values_linked(prose: list[Sentence], cols: tuple[str, ...], literals: set[str]) -> list[str]:
    """The quoted values of the prose (`999`, 'unknown') that are literals of the pipeline's code."""
    values = {v.strip().lower() for s in prose for m in QUOTED_VALUE.finditer(s.text)
              for v in m.groups() if v and v.strip() and v.strip() not in cols}
    return sorted(v for v in values if v in literals and len(v) >= 2)
