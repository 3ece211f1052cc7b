"""PRE001 and PRE002, Annex A1 section 3, data preparation, from the pipeline's code (calls that are made, not
imports): the cleaning steps, and statistics fitted before the split."""

from __future__ import annotations

import ast
import re

from checks.astutil import calls, short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext

MISSING_CALLS = {"fillna", "SimpleImputer", "KNNImputer", "IterativeImputer", "dropna", "interpolate", "ffill", "bfill"}
OUTLIER_CALLS = {"clip", "quantile", "zscore", "IsolationForest", "between", "winsorize", "RobustScaler", "mask"}
ERRONEOUS_CALLS = {"drop_duplicates", "to_numeric", "to_datetime", "strip", "lower", "upper", "abs", "title",
                   "duplicated"}
TRANSFORMER = re.compile(r"(Imputer|Scaler|Encoder|Normalizer|PCA|Discretizer|Transformer|Vectorizer|"
                         r"SelectKBest|PolynomialFeatures|SMOTE)")


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
               "imputer_in_pipeline": "an imputer built where a Pipeline/ColumnTransformer is assembled (same module), "
                                      "so it is fitted with the model on training rows"}

    def run(self, ctx: CheckContext) -> Evidence:
        empty = self.without_code(ctx)
        if empty:
            return empty
        found, in_pipeline = _cleaning_calls(ctx)
        _add_outlier_rules(ctx, found["outliers"])
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


PIPELINE_BUILDERS = {"Pipeline", "ColumnTransformer", "make_pipeline", "make_column_transformer"}
IMPUTERS = {"SimpleImputer", "KNNImputer", "IterativeImputer"}


def _cleaning_calls(ctx: CheckContext) -> tuple[dict[str, list[Location]], bool]:
    """The calls that apply each bullet (4 at most each), and whether an imputer sits inside a Pipeline."""
    found: dict[str, list[Location]] = {"missing": [], "outliers": [], "erroneous": []}
    made: dict[str, set[str]] = {}  # module -> the pipeline and imputer classes it constructs
    for src, node in calls(ctx.sources):
        name = short_name(node)
        for bullet, names in (("missing", MISSING_CALLS), ("outliers", OUTLIER_CALLS),
                              ("erroneous", ERRONEOUS_CALLS)):
            if name in names and len(found[bullet]) < 4:
                found[bullet].append(Location(src.path, node.lineno, f"{bullet}: {snippet(src, node.lineno)}"))
        if name in PIPELINE_BUILDERS or name in IMPUTERS:
            made.setdefault(src.path, set()).add("pipeline" if name in PIPELINE_BUILDERS else "imputer")
    # the imputer is built in the module that assembles the Pipeline (inline, or in a steps list passed to it)
    return found, any(kinds == {"pipeline", "imputer"} for kinds in made.values())


def _add_outlier_rules(ctx: CheckContext, outliers: list[Location]) -> None:
    """Comparisons against a bound on a column (df[df.x > 200]) are outlier rules too: add them, up to 4 in all."""
    for src in ctx.sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            if _is_bound_comparison(node) and len(outliers) < 4:
                outliers.append(Location(src.path, node.lineno, f"outliers: {snippet(src, node.lineno)}"))


def _is_bound_comparison(node: ast.AST) -> bool:
    """A column (subscript or attribute) compared with <, >, <= or >= against a bound."""
    return (isinstance(node, ast.Compare) and isinstance(node.left, (ast.Subscript, ast.Attribute))
            and any(isinstance(op, (ast.Gt, ast.Lt, ast.GtE, ast.LtE)) for op in node.ops)
            and any(_bound(op, c) for op, c in zip(node.ops, node.comparators, strict=False)))



def _scopes(tree: ast.Module):
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _own_nodes(scope):
    """Nodes of a scope, not descending into nested function definitions."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


class FitBeforeSplit(Check):
    code = "PRE002"
    name = "fit-before-split"
    lines = ("prep.split", "prep.preprocessing")
    summary = ("Data flow within each function: a transformer (imputer, scaler, encoder, PCA, SMOTE...) fitted "
               "before the train/test split in the same function learns from the rows that will be test rows.")
    rationale = ("Train-test-validate splitting asks for unbiased testing: statistics learnt on the test rows leak "
                 "into training (imputation fitted on all data before the split is the textbook case).")
    example = "X = StandardScaler().fit_transform(X); X_tr, X_te, ... = train_test_split(X, y) -> leak."

    metrics = {"leaks": "transformers fitted before the train/test split in the same function (count)"}

    def run(self, ctx: CheckContext):
        leaks: list[Location] = []
        for src in ctx.sources:
            if src.tree is None:
                continue
            for scope in _scopes(src.tree):
                nodes = list(_own_nodes(scope))
                split_lines = [n.lineno for n in nodes if isinstance(n, ast.Call)
                               and short_name(n) in ("train_test_split", "StratifiedShuffleSplit")]
                if not split_lines:
                    continue
                first_split = min(split_lines)
                transformers = self._transformer_names(nodes)
                for node in nodes:
                    if (isinstance(node, ast.Call) and short_name(node) in ("fit", "fit_transform", "fit_resample")
                            and node.lineno < first_split and self._is_transformer(node, transformers)):
                        leaks.append(Location(src.path, node.lineno,
                                              f"fitted before the split at line {first_split}: "
                                              f"{snippet(src, node.lineno)}"))
        return self.evidence(
            OK,
            f"{len(leaks)} transformer(s) fitted before the train/test split" if leaks
            else "no transformer is fitted before the split (within a function)",
            metrics={"leaks": len(leaks)},
            findings=[f"{loc}: {loc.snippet}" for loc in leaks],
            locations=leaks[:10],
            confidence=0.7,
        )

    @staticmethod
    def _transformer_names(nodes) -> set[str]:
        names = set()
        for node in nodes:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and TRANSFORMER.search(short_name(node.value)):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return names

    @staticmethod
    def _is_transformer(node: ast.Call, names: set[str]) -> bool:
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(receiver, ast.Call):
            return bool(TRANSFORMER.search(short_name(receiver)))
        return isinstance(receiver, ast.Name) and (receiver.id in names or bool(TRANSFORMER.search(receiver.id)))
