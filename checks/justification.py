"""JUS001: where each modelling choice is explained in writing, and whether the reason names this data."""

from __future__ import annotations

import re

from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.prose import Sentence, all_sentences, column_matcher, columns_named
from checks.reachability import measured_code

CHOICES = {
    "imputation": r"\b(imput\w*|missing|null\w*|nan|fill\w*|drop\w* (rows|records)|median|mode)\b",
    "outliers": (r"\b(outlier\w*|clip\w*|capp?\w*|iqr|winsori\w*|extreme\w*|impossible|implausible|sentinel\w*|"
                 r"placeholder\w*|negative values?|invalid|unrealistic|absurd)\b"),
    "split": (r"\b(split\w*|stratif\w*|cross[- ]?validat\w*|k-?fold\w*|group\s?k?-?fold\w*|hold[- ]?out|"
              r"validation (set|split|fold)|leak\w*|test set)\b"),
    "metric": (r"\b(metric\w*|f1|recall|precision|roc|auc|pr[- ]?auc|average precision|accuracy|macro|rmse|mae|"
               r"false (positive|negative)s?|confusion matrix)\b"),
    "model": (r"\b(random forest\w*|logistic|gradient[- ]boost\w*|xgboost|lightgbm|catboost|decision tree\w*|svm|"
              r"knn|naive bayes|linear model\w*|tree[- ]based|ensemble\w*|model family|models?)\b"),
    "tuning": (r"\b(tun\w*|hyper-?param\w*|grid ?search\w*|random\w* ?search\w*|optuna|search space|"
               r"param\w* grid|n_estimators|max_depth|learning[_ ]rate|regulari[sz]\w*)\b"),
}
REASON = re.compile(
    r"\b(because|since|as (it|they|the|this|we|there|a|an|most|many|only)|so that|so (we|the|it|a)|due to|"
    r"given (that|the|how)|therefore|thus|hence|which means|to avoid|to prevent|to keep|to handle|to reduce|"
    r"in order to|why|reason\w*|otherwise|rather than|instead of|trade-?offs?|costs?|matters?|more important|"
    r"chosen for|chose|prefer\w*|suits?|appropriate for|better (at|for|than)|robust to|sensitive to)\b", re.I)
DATA_FACT = re.compile(r"(\d+(\.\d+)?\s?%|\b\d+\.\d+\b|\b\d{2,}\b|\b(rows?|records?|sessions?|classes)\b)", re.I)
LEVEL_WORDS = {0: "not explained", 1: "explained in general terms", 2: "explained with this data"}


def _kind_level(sentence: Sentence, columns: set[str]) -> int:
    if not REASON.search(sentence.text):
        return 0
    return 2 if columns or DATA_FACT.search(sentence.text) else 1


class JustifiedChoices(Check):
    code = "JUS001"
    name = "justified-choices"
    lines = ("prep.preprocessing", "prep.split", "model.scoping", "model.training", "model.metrics", "model.tuning")
    summary = ("Finds, for each choice (imputation, outlier rule, split, metric, model, tuning), a written reason "
               "in the README, the notebook's prose, docstrings or comments, and whether the reason names this "
               "data (a dataset column, a share, a count or a value).")
    rationale = ("The marking guide's level 3 needs each choice justified in writing, specific to this data or "
                 "problem; a clause that only names a practice leaves the line at 2 (guide §1.2).")
    example = ("'Housing Loan is missing in 60% of rows, so we keep missingness as its own category rather than "
               "impute' (README.md:41): imputation explained with this data.")
    metrics = {**{kind: f"0 none, 1 a general reason, 2 a reason naming this data for the {kind} choice"
                  for kind in CHOICES},
               "explained": "number of the six choices with any written reason",
               "data_specific": "number of the six choices whose reason names this data"}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        sources = found[0] if not isinstance(found, Evidence) else []
        best = best_reasons(all_sentences(ctx, sources), tuple(c for c in ctx.dataset_columns if c))
        levels = {kind: level for kind, (level, _) in best.items()}
        locations = [Location(s.path, s.line, f"{kind} ({LEVEL_WORDS[lvl]}): {s.text[:160]}")
                     for kind, (lvl, s) in best.items() if s is not None]
        named = {lvl: ", ".join(k for k, v in levels.items() if v == lvl) or "none" for lvl in LEVEL_WORDS}
        return self.evidence(
            OK, f"reasons naming this data: {named[2]}; general reasons only: {named[1]}; unexplained: {named[0]}",
            metrics={**levels, "explained": sum(1 for v in levels.values() if v),
                     "data_specific": sum(1 for v in levels.values() if v == 2)},
            locations=locations, confidence=0.6)


def best_reasons(sentences: list[Sentence], columns: tuple[str, ...]) -> dict[str, tuple[int, Sentence | None]]:
    """For each choice, the best written reason found (0 none, 1 general, 2 naming this data) and where."""
    matcher = column_matcher(columns)
    best: dict[str, tuple[int, Sentence | None]] = {kind: (0, None) for kind in CHOICES}
    patterns = {kind: re.compile(p, re.I) for kind, p in CHOICES.items()}
    for sentence in sentences:
        kinds = [k for k, p in patterns.items() if best[k][0] < 2 and p.search(sentence.text)]
        if not kinds:
            continue
        level = _kind_level(sentence, columns_named(sentence.text, matcher, columns))
        for kind in kinds:
            if level > best[kind][0]:
                best[kind] = (level, sentence)
    return best
