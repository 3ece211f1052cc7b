"""Annex A1 section 3, data preparation, from the pipeline's code (calls that are made, not imports)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from checks.astutil import call_name, calls, short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext

MISSING_CALLS = {"fillna", "SimpleImputer", "KNNImputer", "IterativeImputer", "dropna", "interpolate", "ffill", "bfill"}
OUTLIER_CALLS = {"clip", "quantile", "zscore", "IsolationForest", "between", "winsorize", "RobustScaler", "mask"}
ERRONEOUS_CALLS = {"drop_duplicates", "to_numeric", "to_datetime", "strip", "lower", "upper", "abs", "title",
                   "duplicated"}
ENCODERS = {"OneHotEncoder", "get_dummies", "OrdinalEncoder", "LabelEncoder", "TargetEncoder", "cut", "qcut",
            "KBinsDiscretizer", "PolynomialFeatures", "log1p", "log", "sqrt", "StandardScaler", "MinMaxScaler"}
CV_CALLS = {"cross_val_score", "cross_validate", "GridSearchCV", "RandomizedSearchCV", "StratifiedKFold", "KFold",
            "HalvingGridSearchCV", "RepeatedStratifiedKFold", "cross_val_predict", "TimeSeriesSplit"}


def _bound(op: ast.cmpop, value: ast.expr) -> bool:
    """A bound an outlier rule compares with: a number beyond +-1, or zero from below (negative values)."""
    if not (isinstance(value, ast.Constant) and isinstance(value.value, (int, float))):
        return False
    return abs(value.value) > 1 or (value.value == 0 and isinstance(op, (ast.Lt, ast.LtE)))


class CleaningSteps(Check):
    code = "PRE001"
    name = "cleaning-steps"
    lines = ("prep.preprocessing",)
    summary = ("Which of the three bullets of the line the pipeline's code applies: missing data "
               "(imputation or removal), outliers (capping, quantiles, removal), erroneous data (duplicates, "
               "case/whitespace, type coercion, sign errors); and whether imputation sits in a fitted Pipeline.")
    rationale = ("Data preprocessing asks for missing-data, outlier and erroneous-data handling; an imputer "
                 "inside a Pipeline is fitted on training rows only.")
    example = "df.drop_duplicates(); df['distance'].abs(); SimpleImputer in a ColumnTransformer: 3 bullets."

    metrics = {"bullets": "preprocessing bullets applied in code, 0-3 (missing, outliers, erroneous)",
               "missing": "missing data is imputed or removed",
               "outliers": "outliers are capped, bounded or removed",
               "erroneous": "erroneous data is fixed (duplicates, case/whitespace, types, signs)",
               "imputer_in_pipeline": "an imputer sits inside a fitted Pipeline/ColumnTransformer"}

    def run(self, ctx: CheckContext) -> Evidence:
        empty = self.without_code(ctx)
        if empty:
            return empty
        found: dict[str, list[Location]] = {"missing": [], "outliers": [], "erroneous": []}
        in_pipeline = False
        for src, node in calls(ctx.sources):
            name = short_name(node)
            for bullet, names in (("missing", MISSING_CALLS), ("outliers", OUTLIER_CALLS),
                                  ("erroneous", ERRONEOUS_CALLS)):
                if name in names and len(found[bullet]) < 4:
                    found[bullet].append(Location(src.path, node.lineno, f"{bullet}: {snippet(src, node.lineno)}"))
            if name in ("Pipeline", "ColumnTransformer", "make_pipeline", "make_column_transformer"):
                inner = {short_name(n) for n in ast.walk(node) if isinstance(n, ast.Call)}
                in_pipeline = in_pipeline or bool(inner & {"SimpleImputer", "KNNImputer", "IterativeImputer"})
        # Comparisons against a bound on a column (df[df.x > 200]) are outlier rules too.
        for src in ctx.sources:
            if src.tree is None:
                continue
            for node in ast.walk(src.tree):
                if (isinstance(node, ast.Compare) and isinstance(node.left, (ast.Subscript, ast.Attribute))
                        and any(isinstance(op, (ast.Gt, ast.Lt, ast.GtE, ast.LtE)) for op in node.ops)
                        and any(_bound(op, c) for op, c in zip(node.ops, node.comparators, strict=False))
                        and len(found["outliers"]) < 4):
                    found["outliers"].append(Location(src.path, node.lineno, f"outliers: {snippet(src, node.lineno)}"))
        bullets = sum(1 for v in found.values() if v)
        covered = [k for k, v in found.items() if v]
        return self.evidence(
            OK,
            f"{bullets}/3 bullets applied in code ({', '.join(covered) or 'none'}); imputation "
            f"{'inside a fitted Pipeline' if in_pipeline else 'not inside a Pipeline'}",
            metrics={"bullets": bullets, "missing": bool(found["missing"]), "outliers": bool(found["outliers"]),
                     "erroneous": bool(found["erroneous"]), "imputer_in_pipeline": in_pipeline},
            locations=[loc for v in found.values() for loc in v],
            confidence=0.6,
        )


class DerivedFeatures(Check):
    code = "FEA001"
    name = "derived-features"
    lines = ("prep.feature_engineering",)
    summary = ("Counts new columns the pipeline derives (assigned columns that are not in the dataset) and the "
               "transformations applied: encoding, binning, scaling, date parts, string extraction.")
    rationale = ("Feature engineering asks for basic transformations and features that improve the model; "
                 "a pipeline that feeds the raw columns builds none.")
    example = "df['is_peak'] = df['hour'].isin([7, 8, 17, 18]) and OneHotEncoder(...): 1 derived feature, encoding."

    metrics = {"derived_features": "new columns derived that are not in the dataset (count)",
               "transform_kinds": "distinct transformations applied: encoding, binning, scaling, date parts (count)"}

    def run(self, ctx: CheckContext) -> Evidence:
        empty = self.without_code(ctx)
        if empty:
            return empty
        known = set(ctx.dataset_columns)
        derived: dict[str, Location] = {}
        transforms: set[str] = set()
        locations: list[Location] = []
        for src in ctx.sources:
            if src.tree is None:
                continue
            for node in ast.walk(src.tree):
                targets: list[str] = []
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                                and isinstance(target.slice.value, str):
                            targets.append(target.slice.value)
                elif isinstance(node, ast.Call) and short_name(node) == "assign":
                    targets.extend(k.arg for k in node.keywords if k.arg)
                for name in targets:
                    if name not in known and name not in derived and not re.search(r"pred|proba|score", name):
                        derived[name] = Location(src.path, node.lineno, f"derived: {snippet(src, node.lineno)}")
                if isinstance(node, ast.Call) and short_name(node) in ENCODERS:
                    if short_name(node) not in transforms and len(locations) < 6:
                        locations.append(Location(src.path, node.lineno, f"transform: {snippet(src, node.lineno)}"))
                    transforms.add(short_name(node))
                if isinstance(node, ast.Attribute) and node.attr in ("hour", "dayofweek", "weekday", "month") \
                        and isinstance(node.value, ast.Attribute) and node.value.attr == "dt":
                    transforms.add("date parts")
        return self.evidence(
            OK,
            f"{len(derived)} derived feature(s) ({', '.join(sorted(derived)[:8]) or 'none'}); "
            f"{len(transforms)} kind(s) of transformation",
            metrics={"derived_features": len(derived), "transform_kinds": len(transforms)},
            data={"derived": sorted(derived), "transforms": sorted(transforms)},
            locations=list(derived.values())[:8] + locations,
            confidence=0.6,
        )


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
