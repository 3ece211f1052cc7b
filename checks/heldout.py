"""HLD001: the pipeline's held-out predictions scored (checks/scoring.py) and judged against the baselines."""

from __future__ import annotations

import numpy as np

from checks.base import NOT_APPLICABLE, OK, Check, Location
from checks.context import CheckContext
from checks.scoring import (
    HeldoutScore,
    baselines,
    fmt,
    higher_is_better,
    primary_metric,
    ratio_to_reference,
    score_predictions,
)

METRIC_WORDS = {"f1": "F1", "macro_f1": "macro F1", "balanced_accuracy": "balanced accuracy", "rmse": "RMSE",
                "mae": "MAE", "r2": "R²", "accuracy": "accuracy", "precision": "precision", "recall": "recall"}
BASELINE_WORDS = {"majority_class": "majority", "stratified": "stratified", "always_positive": "always-positive",
                  "mean": "mean", "median": "median"}
BANDS = {3: "better than the reference pipeline", 2: "on par with the reference pipeline",
         1: "below the reference, better than the trivial baselines", 0: "no better than a trivial baseline"}


def band(interval: list[float], reference: float | None, baseline: float, higher_better: bool = True) -> int:
    """Where the primary metric's interval sits against the reference and the best trivial baseline."""
    if not higher_better:  # lower is better (an error): mirror everything
        return band([-interval[1], -interval[0]], None if reference is None else -reference, -baseline)
    low, high = interval
    if high <= baseline:
        return 0
    if reference is None:
        return 2 if low > baseline else 1
    if low > reference:
        return 3
    if high >= reference:
        return 2
    return 1 if low > baseline else 0


def nothing_to_score(ctx: CheckContext) -> str:
    """Why there are no predictions to score; "pipeline not run" only when it truly was not."""
    if ctx.settings.get("heldout_mode") == "rerun":
        ran = ("the pipeline ran on a fresh labelled sample: see its self-reported metrics (HLD002)"
               if ctx.run is not None else "the pipeline was not run")
        return f"rerun mode: the pack has no predictions contract, so there are no held-out predictions to score; {ran}"
    if ctx.run is None:
        return "no held-out predictions to score (pipeline not run)"
    if ctx.heldout is None:
        return "no held-out predictions to score: the pack defines no held-out task"
    return "no held-out predictions to score: the run's output directory was not copied out of the sandbox"


def judge(score: HeldoutScore, base: dict[str, dict[str, float]]) -> tuple[dict[str, float | bool], str]:
    """The rubric's metrics (band, beats the best trivial baseline, ratio to the reference) and the summary."""
    metric = score.primary
    value, (low, high) = score.metrics[metric], score.interval[metric]
    higher = higher_is_better(metric)
    trivial = {name: b[metric] for name, b in base.items() if name != "reference" and metric in b}
    best = (max if higher else min)(trivial.values()) if trivial else (-np.inf if higher else np.inf)
    reference = base.get("reference", {}).get(metric)
    rank = band([low, high], reference, float(best), higher)
    out: dict[str, float | bool] = {"primary": value, "primary_low": low, "primary_high": high, "band_rank": rank,
                                    "beats_baseline": bool(value > best if higher else value < best)}
    ratio = ratio_to_reference(value, reference, metric) if reference is not None else None
    if ratio is not None:
        out["ratio_to_reference"] = ratio
    if "always_positive" in base and "f1" in score.interval:
        out["beats_always_positive"] = bool(score.metrics["f1"] > base["always_positive"]["f1"])
        out["f1_low"], out["f1_high"] = score.interval["f1"]
    against = ([f"reference {fmt(reference)}"] if reference is not None else []) + [
        f"{BASELINE_WORDS.get(name, name)} {fmt(v)}" for name, v in trivial.items()]
    summary = (f"held-out {METRIC_WORDS.get(metric, metric)} {fmt(value)} (95% CI {fmt(low)}-{fmt(high)}; "
               f"{', '.join(against)}): {BANDS[rank]}")
    return out, summary


class HeldoutPredictions(Check):
    code = "HLD001"
    name = "heldout-score"
    lines = ("model.training",)
    kind = "dynamic"
    summary = ("Scores output/predictions.csv against the held-out labels (kept outside the sandbox) with the "
               "pack's primary metric (F1 of the positive class, macro F1, or RMSE) and its secondaries, beside "
               "trivial baselines (majority, stratified, always-positive; mean, median) and the reference.")
    rationale = ("Model training asks for an appropriate model for the task; its score on data it never saw, "
                 "against trivial baselines and the pack's reference pipeline, is the measured evidence.")
    example = ("held-out macro F1 0.550 (95% CI 0.520-0.580; reference 0.570, majority 0.250, stratified 0.330): "
               "on par with the reference pipeline")

    metrics = {"valid": "the predictions file was scored (present, well formed, >= 50% of rows)",
               "coverage": "share 0-1 of held-out rows predicted",
               "primary": "the pack's primary metric on the held-out rows (F1, macro F1 or RMSE)",
               "primary_low": "lower end of the primary metric's 95% bootstrap interval",
               "primary_high": "upper end of the primary metric's 95% bootstrap interval",
               "band_rank": "0 no better than a trivial baseline, 1 below the reference, 2 on par, 3 better",
               "beats_baseline": "the primary metric beats the best trivial baseline",
               "ratio_to_reference": "primary metric / reference's (inverted for errors; > 1 better)",
               "beats_always_positive": "binary: F1 beats always predicting the positive class",
               "f1_low": "binary: lower end of F1's 95% bootstrap interval",
               "f1_high": "binary: upper end of F1's 95% bootstrap interval",
               "f1": "binary: F1 of the positive class, 0-1",
               "precision": "binary: precision of the positive class, 0-1",
               "recall": "binary: recall of the positive class, 0-1",
               "accuracy": "share 0-1 of rows predicted right",
               "roc_auc": "binary: ROC AUC of <target>_proba, 0-1",
               "pr_auc": "binary: PR AUC (average precision), 0-1",
               "macro_f1": "multi-class: macro-averaged F1, 0-1",
               "balanced_accuracy": "multi-class: mean recall per class, 0-1",
               "recall_<class>": "multi-class: recall 0-1 of one class present in the labels",
               "rmse": "regression: root mean squared error (target units)",
               "mae": "regression: mean absolute error (target units)",
               "r2": "regression: coefficient of determination (<= 1)"}

    def run(self, ctx: CheckContext):
        task = ctx.heldout
        if task is None or ctx.run is None or ctx.run.output_dir is None:
            return self.evidence(NOT_APPLICABLE, nothing_to_score(ctx), metrics={"valid": False})
        relative = task.predictions_path.removeprefix("output/")
        score = score_predictions(ctx.run.output_dir / relative, task)
        base = baselines(task)
        metrics: dict[str, float | bool] = {"valid": score.valid, "coverage": round(score.coverage, 4)}
        metrics.update(score.metrics)
        if score.valid:
            judged, summary = judge(score, base)
            metrics.update(judged)
        else:
            summary = "held-out predictions not scored: " + "; ".join(score.problems)
        return self.evidence(OK, summary, metrics=metrics, findings=score.problems,
                             locations=[Location(task.predictions_path)],
                             data={"scores": score.metrics, "baselines": base, "interval": score.interval,
                                   "primary_metric": score.primary or primary_metric(task),
                                   "band": BANDS.get(int(metrics.get("band_rank", -1)), "not scored")})
