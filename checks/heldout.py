"""Held-out scoring in `predictions` mode (SPEC §3): the pipeline's predictions against labels kept on the host.

A missing, malformed or misaligned predictions file is evidence, never a crash. Missing rows count as
the negative class, so predicting only the easy rows cannot raise the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from checks.base import NOT_APPLICABLE, OK, Check, Location
from checks.context import CheckContext, HeldoutTask

MAX_PREDICTIONS_BYTES = 50_000_000
MIN_COVERAGE = 0.5
TRUE_WORDS = {"1", "1.0", "true", "yes"}
FALSE_WORDS = {"0", "0.0", "false", "no"}


@dataclass
class HeldoutScore:
    """Metrics of one set of predictions, or the problems that kept it from being scored."""

    valid: bool
    metrics: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    coverage: float = 0.0
    interval: dict[str, list[float]] = field(default_factory=dict)  # metric -> [low, high], bootstrap 95%


BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240611


def bootstrap_f1(y_true: np.ndarray, y_pred: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES,
                 seed: int = BOOTSTRAP_SEED) -> list[float]:
    """The 95% percentile interval of the positive-class F1 over bootstrap resamples of the held-out rows."""
    rng = np.random.default_rng(seed)
    n = len(y_true)
    if n == 0:
        return [0.0, 0.0]
    t = y_true.astype(bool)
    p = y_pred.astype(bool)
    chunks = []
    for start in range(0, resamples, 250):  # in chunks: 250 x n indices at a time
        idx = rng.integers(0, n, size=(min(250, resamples - start), n))
        tp = (t[idx] & p[idx]).sum(axis=1)
        fp = (~t[idx] & p[idx]).sum(axis=1)
        fn = (t[idx] & ~p[idx]).sum(axis=1)
        denom = 2 * tp + fp + fn
        f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
        chunks.append(f1)
    values = np.concatenate(chunks)
    return [round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)]


BANDS = {3: "above the reference pipeline", 2: "on par with the reference pipeline",
         1: "below the reference, above the trivial baselines", 0: "no better than a trivial baseline"}


def band(interval: list[float], reference: float | None, baseline: float) -> int:
    """Where the held-out F1's interval sits against the reference and the best trivial baseline."""
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


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, proba: np.ndarray | None) -> dict[str, float]:
    """F1 of the positive class first, then precision, recall, accuracy and ROC AUC when probabilities exist."""
    metrics = {
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
    }
    if proba is not None and len(np.unique(y_true)) == 2:
        metrics["roc_auc"] = float(roc_auc_score(y_true, proba))
    return {k: round(v, 4) for k, v in metrics.items()}


def load_labels(task: HeldoutTask) -> pd.DataFrame:
    labels = pd.read_csv(task.labels_path, dtype={task.id_column: str})
    return labels[[task.id_column, task.target]]


def baselines(task: HeldoutTask) -> dict[str, dict[str, float]]:
    """Majority class and always-positive baselines on the same labels, and the pack's reference."""
    labels = load_labels(task)
    y = labels[task.target].to_numpy().astype(int)
    majority = int(pd.Series(y).mode().iloc[0])
    out = {
        "majority_class": classification_metrics(y, np.full_like(y, majority), None),
        "always_positive": classification_metrics(y, np.full_like(y, task.positive_label), None),
    }
    if task.reference:
        out["reference"] = dict(task.reference)
    return out


def _to_label(value: str) -> int | None:
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return 1
    if word in FALSE_WORDS:
        return 0
    return None


def score_predictions(path: Path, task: HeldoutTask) -> HeldoutScore:
    """Score a predictions CSV against the held-out labels."""
    name = task.predictions_path
    if path.is_symlink() or not path.is_file():
        return HeldoutScore(False, problems=[f"{name} was not written"])
    size = path.stat().st_size
    if size > MAX_PREDICTIONS_BYTES:
        return HeldoutScore(False, problems=[f"{name} is {size} bytes, over the {MAX_PREDICTIONS_BYTES}-byte cap"])
    try:
        preds = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="replace")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, ValueError) as exc:
        return HeldoutScore(False, problems=[f"{name} is not a readable CSV: {str(exc).splitlines()[0][:200]}"])
    preds.columns = [str(c).strip() for c in preds.columns]
    missing_cols = [c for c in (task.id_column, task.target) if c not in preds.columns]
    if missing_cols:
        return HeldoutScore(False, rows=len(preds), problems=[
            f"{name} lacks column(s) {', '.join(missing_cols)}; it has {', '.join(preds.columns[:10]) or 'none'}"])
    problems: list[str] = []
    labels = load_labels(task)
    preds[task.id_column] = preds[task.id_column].str.strip()
    dupes = int(preds[task.id_column].duplicated().sum())
    if dupes:
        problems.append(f"{name}: {dupes} duplicate id(s); the first of each is scored")
        preds = preds.drop_duplicates(task.id_column, keep="first")
    unknown = int((~preds[task.id_column].isin(labels[task.id_column])).sum())
    if unknown:
        problems.append(f"{name}: {unknown} id(s) not in the held-out set")
    merged = labels.merge(preds, on=task.id_column, how="left", suffixes=("", "_pred"), indicator=True)
    covered = merged["_merge"] == "both"
    coverage = float(covered.mean())
    if coverage < 1.0:
        problems.append(f"{name}: {int((~covered).sum())} held-out row(s) have no prediction; counted as negative")
    if coverage < MIN_COVERAGE:
        problems.append(f"{name}: only {coverage:.0%} of held-out rows predicted; misaligned, not scored")
        return HeldoutScore(False, rows=len(preds), coverage=coverage, problems=problems)
    predicted = merged[f"{task.target}_pred"].where(covered, "0").map(_to_label)
    bad = int(predicted.isna().sum())
    if bad:
        examples = merged.loc[predicted.isna(), f"{task.target}_pred"].astype(str).unique()[:3]
        problems.append(f"{name}: {bad} value(s) of {task.target} are not 0/1 (e.g. {', '.join(examples)}); "
                        "counted as negative")
        predicted = predicted.fillna(0)
    proba = None
    proba_col = f"{task.target}_proba"
    if proba_col in merged.columns:
        values = pd.to_numeric(merged[proba_col], errors="coerce")
        usable = covered & values.between(0, 1)
        if usable.all():
            proba = values.to_numpy(dtype=float)
        else:
            problems.append(f"{name}: {proba_col} is not a probability in [0, 1] on every row; ROC AUC not computed")
    y_true = merged[task.target].to_numpy().astype(int)
    y_pred = predicted.to_numpy().astype(int)
    metrics = classification_metrics(y_true, y_pred, proba)
    return HeldoutScore(True, metrics=metrics, problems=problems, rows=len(preds), coverage=coverage,
                        interval={"f1": bootstrap_f1(y_true, y_pred)})


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


class HeldoutPredictions(Check):
    code = "HLD001"
    name = "heldout-score"
    lines = ("model.training",)
    kind = "dynamic"
    summary = ("Scores output/predictions.csv against the held-out labels (kept outside the sandbox): F1 of the "
               "positive class, precision, recall, accuracy, ROC AUC; beside the majority-class, always-positive "
               "and reference baselines.")
    rationale = ("Model training asks for an appropriate model for the task; its score on data it never saw, "
                 "against trivial baselines and the pack's reference pipeline, is the measured evidence.")
    example = "F1 0.62 against always-positive 0.37 and reference 0.64: ratio to reference 0.97."

    def run(self, ctx: CheckContext):
        task = ctx.heldout
        if task is None or ctx.run is None or ctx.run.output_dir is None:
            return self.evidence(NOT_APPLICABLE, nothing_to_score(ctx), metrics={"valid": False})
        relative = task.predictions_path.removeprefix("output/")
        score = score_predictions(ctx.run.output_dir / relative, task)
        base = baselines(task)
        metrics: dict[str, float | bool] = {"valid": score.valid, "coverage": round(score.coverage, 4)}
        for key, value in score.metrics.items():
            metrics[key] = value
        reference_f1 = base.get("reference", {}).get("f1")
        always_f1 = base["always_positive"]["f1"]
        if score.valid:
            f1 = score.metrics["f1"]
            metrics["beats_always_positive"] = f1 > always_f1
            if reference_f1:
                metrics["ratio_to_reference"] = round(f1 / reference_f1, 3)
            low, high = score.interval["f1"]
            baseline = max(always_f1, base["majority_class"]["f1"])
            rank = band(score.interval["f1"], reference_f1, baseline)
            metrics.update({"f1_low": low, "f1_high": high, "band_rank": rank})
            summary = (f"held-out F1 {f1:.3f} (95% CI {low:.3f}-{high:.3f}; reference "
                       f"{reference_f1 or float('nan'):.3f}, always-positive {always_f1:.3f}, majority "
                       f"{base['majority_class']['f1']:.3f}): {BANDS[rank]}")
        else:
            summary = "held-out predictions not scored: " + "; ".join(score.problems)
        return self.evidence(OK, summary, metrics=metrics, findings=score.problems,
                             locations=[Location(task.predictions_path)],
                             data={"scores": score.metrics, "baselines": base, "interval": score.interval,
                                   "band": BANDS.get(int(metrics.get("band_rank", -1)), "not scored")})
