"""SPL001, Annex A1 section 3: the train/validation/test split the pipeline makes."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from checks.astutil import call_name, calls, short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.mlnames import CV_CALLS


class SplitStrategy(Check):
    code = "SPL001"
    name = "split-strategy"
    lines = ("prep.split",)
    summary = ("Finds the train/test split the pipeline makes, whether it is stratified, and whether a "
               "validation split or cross-validation keeps the test set for the final, unbiased estimate.")
    rationale = ("Train-test-validate splitting asks for a split that keeps the final model from overfitting and "
                 "its testing unbiased; with a rare class, stratification keeps both sides alike.")
    example = "train_test_split(X, y, stratify=y) then GridSearchCV(cv=StratifiedKFold(5)) on the training part."

    metrics = {"split": "a train/test split or cross-validation is made",
               "stratified": "some split is stratified",
               "validation": "a validation split or cross-validation keeps the test set apart",
               "grouped": "a split keeps the pack's groups (e.g. sessions) whole: Group*Fold, GroupShuffleSplit, "
                          "or groups=",
               "groups_needed": "the pack's rows are grouped (a group column): a row-wise split leaks across groups"}

    def run(self, ctx: CheckContext) -> Evidence:
        empty = self.without_code(ctx)
        if empty:
            return empty
        found = _split_calls(ctx)
        splits, stratified, validation, grouped = found.splits, found.stratified, found.validation, found.grouped
        return self.evidence(
            OK,
            f"{splits} train_test_split call(s), {'stratified' if stratified else 'not stratified'}; "
            f"{'a validation split or cross-validation' if validation else 'no validation split'}"
            f"{'; groups kept whole' if grouped else ''}",
            metrics={"split": splits > 0 or validation or grouped, "stratified": stratified > 0,
                     "validation": validation, "grouped": grouped,
                     "groups_needed": bool(ctx.settings.get("group_column"))},
            locations=found.locations,
            confidence=0.6,
        )


@dataclass
class _Splits:
    splits: int = 0
    stratified: int = 0
    validation: bool = False
    grouped: bool = False
    locations: list[Location] = field(default_factory=list)


def _is_stratified(node: ast.Call) -> bool:
    return any(k.arg == "stratify" and not (isinstance(k.value, ast.Constant) and k.value.value is None)
               for k in node.keywords)


def _split_calls(ctx: CheckContext) -> _Splits:
    """Every split the code makes: train_test_split calls, cross-validation, groups kept whole."""
    found = _Splits()
    for src, node in calls(ctx.sources):
        name = short_name(node)
        found.grouped = found.grouped or "Group" in name or any(k.arg == "groups" for k in node.keywords)
        if name == "train_test_split":
            found.splits += 1
            found.stratified += _is_stratified(node)
            found.locations.append(Location(src.path, node.lineno, snippet(src, node.lineno)))
        elif name in CV_CALLS or name == "StratifiedShuffleSplit":
            found.validation = True
            found.stratified += name == "StratifiedShuffleSplit" or "Stratified" in call_name(node)
            if len(found.locations) < 8:
                found.locations.append(Location(src.path, node.lineno, snippet(src, node.lineno)))
    found.validation = found.validation or found.splits >= 2
    return found
