"""MOD002: the modelling practices the guide's levels turn on: the task framed right, baselines, bias-variance,
threshold analysis, a model registry and one fitted transformation path."""

from __future__ import annotations

import ast
import re

from checks.astutil import calls, short_name
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile
from checks.mlnames import ESTIMATOR
from checks.prose import notebook_sentences, readme_sentences
from checks.reachability import SCOPE_METRICS, measured_code

CLASSIFIER = re.compile(r"(Classifier|Classification|^SVC$|^LinearSVC$|NB$|^LogisticRegression(CV)?$)")
REGRESSOR = re.compile(r"(Regressor$|^LinearRegression$|^Ridge(CV)?$|^Lasso(CV)?$|^ElasticNet(CV)?$|^SVR$|"
                       r"^BayesianRidge$|^HuberRegressor$)")
BIAS_VARIANCE_CALLS = {"learning_curve", "validation_curve", "LearningCurveDisplay", "ValidationCurveDisplay"}
THRESHOLD_CALLS = {"precision_recall_curve", "roc_curve", "TunedThresholdClassifierCV", "FixedThresholdClassifier"}
PIPELINE_CALLS = {"Pipeline", "make_pipeline", "ColumnTransformer", "make_column_transformer"}
BIAS_VARIANCE_WORDS = re.compile(r"\b(overfit\w*|over-fit\w*|underfit\w*|bias[- ]variance|train(ing)? (score|f1|"
                                 r"accuracy) vs|generali[sz]ation gap|learning curve)", re.I)
THRESHOLD_WORDS = re.compile(r"\bthreshold\w*\b", re.I)
IMBALANCE_KEYWORDS = {"class_weight", "scale_pos_weight", "is_unbalance", "sample_weight", "auto_class_weights",
                      "class_weights"}
IMBALANCE_CALLS = {"SMOTE", "SMOTENC", "SMOTEN", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE",
                   "RandomOverSampler", "RandomUnderSampler", "SMOTETomek", "SMOTEENN", "TomekLinks", "NearMiss",
                   "BalancedRandomForestClassifier", "BalancedBaggingClassifier", "EasyEnsembleClassifier",
                   "RUSBoostClassifier", "compute_class_weight", "compute_sample_weight", "resample",
                   "TunedThresholdClassifierCV", "FixedThresholdClassifier"}
CONFIG_IMBALANCE = re.compile(r"""^\s*["']?(class_weight|scale_pos_weight|is_unbalance|auto_class_weights|resampl\w*|"""
                              r"""smote|oversampl\w*|undersampl\w*)["']?\s*[:=]\s*(?!\s*(null|none|false|~|0)\b)\S""",
                              re.I | re.M)
BASELINE_WORDS = re.compile(r"\b(baseline|always[- ]\w+|majority[- ]class|dummy|naive)\b[^.\n]{0,80}\d", re.I)


def _estimators(sources: list[SourceFile]) -> set[str]:
    return {short_name(node) for _, node in calls(sources) if ESTIMATOR.match(short_name(node) or "")}


def _registry(sources: list[SourceFile]) -> bool:
    """A dict or list literal holding two or more estimator constructor calls (models run through one routine)."""
    for src in sources:
        for node in ast.walk(src.tree):
            items = node.values if isinstance(node, ast.Dict) else \
                node.elts if isinstance(node, (ast.List, ast.Tuple)) else []
            models = [n for item in items for n in ast.walk(item)
                      if isinstance(n, ast.Call) and ESTIMATOR.match(short_name(n) or "")]
            if len(models) >= 2:
                return True
    return False


class ModellingPractices(Check):
    code = "MOD002"
    name = "modelling-practices"
    lines = ("model.training", "model.metrics", "prog.reusability")
    summary = ("Reads the pipeline's code for the task framing (regressors on a class target or classifiers on a "
               "number), trivial baselines, bias-variance analysis (learning curves, train vs validation scores), "
               "threshold analysis, a registry of models run through one routine and a fitted sklearn Pipeline.")
    rationale = ("The wrong task type is owned by training, metrics and tuning (guide §1.7); metrics level 3 asks "
                 "for bias-variance reasoning, threshold analysis and trivial baselines; reusability level 3 for "
                 "one fitted transformation path and a model registry.")
    example = "RandomForestRegressor fitted on a yes/no target and rounded at 0.5: task_mismatch."
    metrics = {**SCOPE_METRICS, "classifiers": "classifier classes instantiated",
               "regressors": "regressor classes instantiated",
               "task_mismatch": "the estimators are all of the wrong kind for the pack's task",
               "baseline": "a trivial baseline is fitted (DummyClassifier/DummyRegressor) or quoted with its score",
               "bias_variance": "learning/validation curves, train scores kept next to CV scores, or written "
                                "over-/under-fitting analysis (code, README or notebook)",
               "threshold_analysis": "a threshold chosen from a precision-recall or ROC curve, or by a sweep",
               "model_registry": "two or more models held in one dict/list and run through one routine",
               "imbalance_handled": "the class imbalance is handled: class or sample weights, resampling (SMOTE, "
                                    "over/under-sampling), balanced ensembles or a tuned decision threshold, in the "
                                    "code the pipeline runs or its config",
               "fitted_pipeline": "an sklearn Pipeline / ColumnTransformer carries the transformations"}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources = found[0]
        task = str(ctx.settings.get("task", "binary"))
        framing, wrong = _framing(sources, task)
        metrics = {**framing, **_practices(sources, ctx)}
        locations = [Location(src.path, node.lineno, short_name(node)) for src, node in calls(sources)
                     if short_name(node) in wrong][:3]
        said = (f"task {task}: {', '.join(wrong)} of the wrong kind and none of the right one; "
                if metrics["task_mismatch"] else "")
        shown = ", ".join(k.replace("_", " ") for k, v in metrics.items() if v is True and k != "task_mismatch")
        return self.evidence(OK, said + (shown or "none of the practices"), metrics=metrics, locations=locations,
                             confidence=0.7)


def _framing(sources: list[SourceFile], task: str) -> tuple[dict[str, object], list[str]]:
    """Classifier and regressor counts, and whether every estimator is of the wrong kind for the task."""
    estimators = _estimators(sources)
    classifiers = sorted(e for e in estimators if CLASSIFIER.search(e))
    regressors = sorted(e for e in estimators if REGRESSOR.search(e) and e not in classifiers)
    wrong, right = (regressors, classifiers) if task != "regression" else (classifiers, regressors)
    return ({"classifiers": len(classifiers), "regressors": len(regressors),
             "task_mismatch": bool(wrong) and not right}, wrong)


def _practices(sources: list[SourceFile], ctx: CheckContext) -> dict[str, bool]:
    """Baselines, bias-variance, threshold analysis, a model registry, a fitted pipeline (code and prose)."""
    names = {short_name(node) for _, node in calls(sources)}
    text = "\n".join(s.text or "" for s in sources)
    prose = "\n".join(x.text for x in readme_sentences(ctx) + notebook_sentences(ctx))
    return {
        "baseline": bool(names & {"DummyClassifier", "DummyRegressor"}) or bool(BASELINE_WORDS.search(prose)),
        "bias_variance": bool(names & BIAS_VARIANCE_CALLS) or "return_train_score" in text
        or bool(BIAS_VARIANCE_WORDS.search(text + "\n" + prose)),
        "threshold_analysis": bool(names & THRESHOLD_CALLS) or len(THRESHOLD_WORDS.findall(text + prose)) >= 3,
        "model_registry": _registry(sources),
        "imbalance_handled": _handles_imbalance(sources, names) or bool(CONFIG_IMBALANCE.search(ctx.config_text)),
        "fitted_pipeline": bool(names & PIPELINE_CALLS),
    }


def _handles_imbalance(sources: list[SourceFile], names: set[str]) -> bool:
    """A weighting keyword with a value other than None, a resampler or balanced ensemble called, or a weighting
    key in a parameter grid or settings dict."""
    if names & IMBALANCE_CALLS:
        return True
    for src in sources:
        for node in ast.walk(src.tree) if src.tree is not None else ():
            if isinstance(node, ast.keyword) and node.arg in IMBALANCE_KEYWORDS \
                    and not (isinstance(node.value, ast.Constant) and node.value.value in (None, False)):
                return True
            if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in IMBALANCE_KEYWORDS
                                                  for k in node.keys):
                return True
    return False
