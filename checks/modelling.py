"""MOD001, Annex A1 section 4, model design and development: the models compared and their tuning."""

from __future__ import annotations

import ast

from checks.astutil import calls, short_name, snippet
from checks.base import OK, Check, Location
from checks.context import CheckContext
from checks.mlnames import CV_CALLS, ESTIMATOR

SEARCH_CALLS = {"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
                "create_study", "BayesSearchCV", "ParameterGrid", "ParameterSampler"}


class ModelsCompared(Check):
    code = "MOD001"
    name = "models-compared"
    lines = ("model.tuning", "model.training")
    summary = ("Counts the distinct estimator classes the pipeline instantiates from an established framework "
               "(scikit-learn, XGBoost, LightGBM) and whether hyper-parameters are searched with cross-validation.")
    rationale = ("Model training asks for an appropriate model built with an established framework; parameter "
                 "tuning asks for different parameters and architectures compared. The paper asks for at least "
                 "the pack's minimum number of models.")
    example = "LogisticRegression and RandomForestClassifier each inside GridSearchCV(cv=5): 2 models, searched."

    metrics = {"models": "distinct estimator classes used (count)",
               "min_models": "models the paper asks for (the pack's minimum, count)",
               "enough_models": "models >= min_models",
               "search": "hyper-parameters are searched (grid, random, optuna...)",
               "cross_validated": "cross-validation is used"}

    def run(self, ctx: CheckContext):
        empty = self.without_code(ctx)
        if empty:
            return empty
        models = _estimators(ctx)
        search = cross_validated = False
        locations: list[Location] = []
        for src, node in calls(ctx.sources):
            name = short_name(node)
            if name in SEARCH_CALLS:
                search = True
                locations.append(Location(src.path, node.lineno, "search: " + snippet(src, node.lineno)))
            if name in CV_CALLS:
                cross_validated = True
        minimum = int(ctx.settings.get("min_models", 2))
        return self.evidence(
            OK,
            f"{len(models)} model class(es) ({', '.join(sorted(models)) or 'none'}); the paper asks for {minimum}; "
            f"{'hyper-parameter search' if search else 'no hyper-parameter search'}"
            f"{' with cross-validation' if cross_validated else ''}",
            metrics={"models": len(models), "min_models": minimum, "enough_models": len(models) >= minimum,
                     "search": search, "cross_validated": cross_validated},
            locations=list(models.values()) + locations[:4],
            data={"models": sorted(models)},
            confidence=0.7,
        )


def _estimators(ctx: CheckContext) -> dict[str, Location]:
    """Each estimator class the code references, at its first reference.

    A class referenced in code (called, or kept in a registry dict that is called afterwards) counts; an import
    alone does not (imports are not Name nodes)."""
    models: dict[str, Location] = {}
    for src in ctx.sources:
        for node in ast.walk(src.tree) if src.tree is not None else ():
            name = node.id if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) else (
                node.attr if isinstance(node, ast.Attribute) else "")
            if name and ESTIMATOR.match(name) and name not in models:
                models[name] = Location(src.path, node.lineno, snippet(src, node.lineno))
    return models
