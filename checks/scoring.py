"""Held-out scoring shared by HLD001, PRB001, HLD002 and the pack builder: predictions against kept labels.

Binary, multi-class and regression tasks alike (SPEC §3). A missing, malformed or misaligned predictions file
is a result saying so, never a crash, and a missing or unreadable prediction can never raise the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from checks.context import HeldoutTask

MAX_PREDICTIONS_BYTES = 50_000_000
MIN_COVERAGE = 0.5
TRUE_WORDS = {"1", "1.0", "true", "yes"}
FALSE_WORDS = {"0", "0.0", "false", "no"}
BINARY, MULTICLASS, REGRESSION = "binary", "multiclass", "regression"
DEFAULT_PRIMARY = {BINARY: "f1", MULTICLASS: "macro_f1", REGRESSION: "rmse"}
SUPPORTED = {BINARY: ("f1", "precision", "recall", "accuracy"),
             MULTICLASS: ("macro_f1", "balanced_accuracy", "accuracy"),
             REGRESSION: ("rmse", "mae", "r2")}
LOWER_IS_BETTER = frozenset({"rmse", "mae", "mse"})
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240611
BOOTSTRAP_CELLS = 2_000_000  # resamples x rows held in memory at once
STRATIFIED_DRAWS = 50
RATIO_CAP = 999.0  # ratio to the reference of a zero error: finite, so reports stay valid JSON


@dataclass
class HeldoutScore:
    """Metrics of one set of predictions, or the problems that kept it from being scored."""

    valid: bool
    metrics: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    coverage: float = 0.0
    interval: dict[str, list[float]] = field(default_factory=dict)  # metric -> [low, high], bootstrap 95%
    primary: str = ""


@dataclass(frozen=True)
class Encoded:
    """Labels and predictions as arrays: class indexes (-1: no usable prediction) or numbers."""

    task: str
    y_true: np.ndarray
    y_pred: np.ndarray
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelSpace:
    """The classes of a classification task and every spelling a prediction may use for each."""

    classes: tuple[str, ...]
    lookup: dict[str, int]
    positive: int | None = None

    def encode(self, values: pd.Series) -> np.ndarray:
        """Class index of each value (normalised spelling), NaN where it names no class."""
        return values.astype(str).map(normalise).map(self.lookup).to_numpy(dtype=float)


def normalise(value: object) -> str:
    """How two spellings of a label are compared: stripped and case-folded."""
    return str(value).strip().casefold()


def primary_metric(task: HeldoutTask) -> str:
    """The task's primary metric when the grader can score it, else the task type's default."""
    return task.primary_metric if task.primary_metric in SUPPORTED.get(task.task, ()) else \
        DEFAULT_PRIMARY.get(task.task, "f1")


def higher_is_better(metric: str) -> bool:
    return metric not in LOWER_IS_BETTER


# ---------------------------------------------------------------- classes and their spellings
def label_space(task: HeldoutTask, labels: pd.Series) -> LabelSpace:
    """The task's classes (from the pack, else from the labels) and the spellings that name each."""
    mapped = {normalise(raw): str(cls).strip() for raw, cls in task.labels_map.items()}
    classes = _class_list(task, labels, mapped)
    lookup = {normalise(c): i for i, c in enumerate(classes)}
    for raw, cls in mapped.items():
        if normalise(cls) in lookup:
            lookup.setdefault(raw, lookup[normalise(cls)])
    positive = None
    if task.task == BINARY:
        positive = _positive_index(task, classes, labels, lookup)
        if {normalise(c) for c in classes} == {"0", "1"}:  # 0/1 labels: true/false, yes/no, 1.0/0.0 too
            lookup.update({w: lookup["1"] for w in TRUE_WORDS} | {w: lookup["0"] for w in FALSE_WORDS})
    return LabelSpace(tuple(classes), lookup, positive)


def _class_list(task: HeldoutTask, labels: pd.Series, mapped: dict[str, str]) -> list[str]:
    """The pack's classes, then any class the labels (or the binary positive label) name that they lack."""
    classes = list(dict.fromkeys(str(c).strip() for c in task.classes))
    found = sorted({mapped.get(normalise(v), str(v).strip()) for v in labels.astype(str)})
    if task.task == BINARY and task.positive_label is not None:
        found.append(str(task.positive_label).strip())
    for cls in found:
        if normalise(cls) not in {normalise(c) for c in classes}:
            classes.append(cls)
    return classes


def _positive_index(task: HeldoutTask, classes: list[str], labels: pd.Series, lookup: dict[str, int]) -> int:
    """The positive class: the pack's, else the less frequent class of the labels."""
    if task.positive_label is not None:
        return lookup[normalise(task.positive_label)]
    counts = labels.astype(str).map(normalise).map(lookup).value_counts()
    return int(counts.idxmin()) if len(counts) else len(classes) - 1


# ---------------------------------------------------------------- metrics of weighted rows, vectorised
def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)


def _confusion(enc: Encoded, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted true positives, false positives and false negatives per class: each (resamples, classes)."""
    k = np.arange(len(enc.classes))
    truth = enc.y_true[:, None] == k
    pred = enc.y_pred[:, None] == k
    tp = weights @ (truth & pred).astype(float)
    fp = weights @ (~truth & pred).astype(float)
    fn = weights @ (truth & ~pred).astype(float)
    return tp, fp, fn


def _binary_arrays(enc: Encoded, weights: np.ndarray) -> dict[str, np.ndarray]:
    tp, fp, fn = _confusion(enc, weights)
    pos = 1  # encoded binary tasks: 0 not positive, 1 positive
    return {"f1": _ratio(2 * tp[:, pos], 2 * tp[:, pos] + fp[:, pos] + fn[:, pos]),
            "precision": _ratio(tp[:, pos], tp[:, pos] + fp[:, pos]),
            "recall": _ratio(tp[:, pos], tp[:, pos] + fn[:, pos]),
            "accuracy": _ratio(tp.sum(axis=1), weights.sum(axis=1))}


def _multiclass_arrays(enc: Encoded, weights: np.ndarray) -> dict[str, np.ndarray]:
    tp, fp, fn = _confusion(enc, weights)
    denom = 2 * tp + fp + fn
    present = denom > 0  # classes in the labels or the predictions (sklearn's macro average)
    support = tp + fn
    recall = _ratio(tp, support)
    out = {"macro_f1": _ratio((_ratio(2 * tp, denom) * present).sum(axis=1), present.sum(axis=1)),
           "balanced_accuracy": _ratio((recall * (support > 0)).sum(axis=1), (support > 0).sum(axis=1)),
           "accuracy": _ratio(tp.sum(axis=1), weights.sum(axis=1))}
    for i, cls in enumerate(enc.classes):
        out[f"recall_{cls}"] = np.where(support[:, i] > 0, recall[:, i], np.nan)
    return out


def _regression_arrays(enc: Encoded, weights: np.ndarray) -> dict[str, np.ndarray]:
    err = enc.y_pred - enc.y_true
    centred = enc.y_true - enc.y_true.mean()  # centred first: no cancellation on large targets
    sums = weights @ np.column_stack([err ** 2, np.abs(err), centred, centred ** 2])
    total = weights.sum(axis=1)
    ss_tot = sums[:, 3] - _ratio(sums[:, 2] ** 2, total)
    return {"rmse": np.sqrt(_ratio(sums[:, 0], total)), "mae": _ratio(sums[:, 1], total),
            "r2": np.where(ss_tot > 1e-12 * np.maximum(sums[:, 3], 1e-300), 1 - _ratio(sums[:, 0], ss_tot), 0.0)}


def metric_arrays(enc: Encoded, weights: np.ndarray) -> dict[str, np.ndarray]:
    """Every metric of the task for each row of weights (how often each held-out row counts)."""
    if enc.task == REGRESSION:
        return _regression_arrays(enc, weights)
    return _binary_arrays(enc, weights) if enc.task == BINARY else _multiclass_arrays(enc, weights)


def point_metrics(enc: Encoded) -> dict[str, float]:
    """The task's metrics on the held-out rows, rounded to 4 places (per-class recall of absent classes dropped)."""
    arrays = metric_arrays(enc, np.ones((1, len(enc.y_true))))
    return {k: round(float(v[0]), 4) for k, v in arrays.items() if np.isfinite(v[0])}


def bootstrap_interval(enc: Encoded, metric: str, resamples: int = BOOTSTRAP_RESAMPLES,
                       seed: int = BOOTSTRAP_SEED) -> list[float]:
    """The 95% percentile interval of one metric over bootstrap resamples of the held-out rows (seeded)."""
    n = len(enc.y_true)
    if n == 0:
        return [0.0, 0.0]
    rng = np.random.default_rng(seed)
    chunk = max(1, min(resamples, BOOTSTRAP_CELLS // n))
    values = []
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        idx = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        weights = np.bincount(idx.ravel(), minlength=size * n).reshape(size, n).astype(float)
        values.append(metric_arrays(enc, weights)[metric])
    every = np.concatenate(values)
    return [round(float(np.percentile(every, 2.5)), 4), round(float(np.percentile(every, 97.5)), 4)]


# ---------------------------------------------------------------- the labels and the trivial baselines
def load_labels(task: HeldoutTask) -> pd.DataFrame:
    """The held-out ids and targets, read as text (ids stripped)."""
    labels = pd.read_csv(task.labels_path, dtype=str, keep_default_na=False)
    labels = labels[[task.id_column, task.target]].copy()
    labels[task.id_column] = labels[task.id_column].str.strip()
    return labels


def _numeric_labels(labels: pd.DataFrame, target: str) -> pd.DataFrame:
    """Regression: the labelled rows whose target is a finite number."""
    values = pd.to_numeric(labels[target], errors="coerce")
    return labels.assign(**{target: values})[np.isfinite(values)]


def encode_labels(task: HeldoutTask, labels: pd.DataFrame) -> tuple[np.ndarray, LabelSpace | None]:
    """The labels as the arrays metrics read: 0/1 (binary), class indexes (multi-class) or numbers."""
    if task.task == REGRESSION:
        return labels[task.target].to_numpy(dtype=float), None
    space = label_space(task, labels[task.target])
    y = space.encode(labels[task.target]).astype(int)
    return ((y == space.positive).astype(int) if task.task == BINARY else y), space


def _classes_of(task: HeldoutTask, space: LabelSpace | None) -> tuple[str, ...]:
    if space is None:
        return ()
    return ("not positive", space.classes[space.positive]) if task.task == BINARY else space.classes


def _stratified(enc: Encoded, seed: int = BOOTSTRAP_SEED) -> dict[str, float]:
    """The expected score of guessing at random in the labels' class proportions (averaged over seeded draws)."""
    k = len(enc.classes)
    proportions = np.bincount(enc.y_true, minlength=k) / max(len(enc.y_true), 1)
    rng = np.random.default_rng(seed)
    draws = [point_metrics(Encoded(enc.task, enc.y_true, rng.choice(k, size=len(enc.y_true), p=proportions),
                                   enc.classes)) for _ in range(STRATIFIED_DRAWS)]
    keys = dict.fromkeys(key for draw in draws for key in draw)
    return {key: round(float(np.mean([d[key] for d in draws if key in d])), 4) for key in keys}


def _constant(enc: Encoded, value: float) -> dict[str, float]:
    return point_metrics(Encoded(enc.task, enc.y_true, np.full(len(enc.y_true), value), enc.classes))


def baselines(task: HeldoutTask) -> dict[str, dict[str, float]]:
    """Trivial baselines on the same labels (binary: majority, stratified, always-positive; multi-class: majority,
    stratified; regression: mean, median), and the pack's reference."""
    labels = load_labels(task)
    if task.task == REGRESSION:
        labels = _numeric_labels(labels, task.target)
    y, space = encode_labels(task, labels)
    enc = Encoded(task.task, y, y, _classes_of(task, space))
    if task.task == REGRESSION:
        out = {"mean": _constant(enc, float(np.mean(y))) if len(y) else {},
               "median": _constant(enc, float(np.median(y))) if len(y) else {}}
    else:
        majority = int(np.bincount(y, minlength=len(enc.classes)).argmax()) if len(y) else 0
        out = {"majority_class": _constant(enc, majority), "stratified": _stratified(enc)}
        if task.task == BINARY:
            out["always_positive"] = _constant(enc, 1)
    if task.reference:
        out["reference"] = dict(task.reference)
    return out


# ---------------------------------------------------------------- reading a predictions file
def _read_predictions(path: Path, task: HeldoutTask) -> pd.DataFrame | HeldoutScore:
    """The predictions as text, or the unscored result saying why they cannot be read."""
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
    preds = preds.loc[:, ~preds.columns.duplicated()].copy()
    preds[task.id_column] = preds[task.id_column].str.strip()
    return preds


def _align(preds: pd.DataFrame, labels: pd.DataFrame, task: HeldoutTask, problems: list[str]) -> pd.DataFrame:
    """The held-out rows with their prediction (left join on the id); duplicates and strangers noted."""
    name = task.predictions_path
    dupes = int(preds[task.id_column].duplicated().sum())
    if dupes:
        problems.append(f"{name}: {dupes} duplicate id(s); the first of each is scored")
        preds = preds.drop_duplicates(task.id_column, keep="first")
    unknown = int((~preds[task.id_column].isin(labels[task.id_column])).sum())
    if unknown:
        problems.append(f"{name}: {unknown} id(s) not in the held-out set")
    return labels.merge(preds, on=task.id_column, how="left", suffixes=("", "_pred"), indicator=True)


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(str(v))[:40] for v in values.astype(str).unique()[:3])


def _class_predictions(task: HeldoutTask, space: LabelSpace, raw: pd.Series, covered: pd.Series,
                       y_true: np.ndarray, problems: list[str]) -> np.ndarray:
    """Predicted class indexes; a missing prediction or one naming no class counts as not positive (binary) or
    as a wrong class (multi-class: the next class after the true one, so it costs what a wrong guess costs)."""
    name, coded = task.predictions_path, space.encode(raw)
    fallback = (f"not positive (not {space.classes[space.positive]!r})" if task.task == BINARY
                else "wrong (as a prediction of another class)")
    if not covered.all():
        problems.append(f"{name}: {int((~covered).sum())} held-out row(s) have no prediction; counted as {fallback}")
    bad = covered.to_numpy() & np.isnan(coded)
    if bad.any():
        named = "/".join(space.classes) if len(space.classes) <= 2 else "one of " + ", ".join(space.classes)
        problems.append(f"{name}: {int(bad.sum())} value(s) of {task.target} are not {named} "
                        f"(e.g. {_examples(raw[bad])}); counted as {fallback}")
    if task.task == BINARY:
        return (coded == space.positive).astype(int)
    wrong = (y_true + 1) % len(space.classes) if len(space.classes) > 1 else np.full(len(y_true), -1)
    return np.where(np.isnan(coded), wrong, coded).astype(int)


def _number_predictions(task: HeldoutTask, raw: pd.Series, covered: pd.Series,
                        problems: list[str]) -> np.ndarray | None:
    """Predicted numbers; a missing or non-numeric one gets the mean of the numeric predictions given."""
    name = task.predictions_path
    values = pd.to_numeric(raw.astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)
    usable = covered.to_numpy() & np.isfinite(values)
    bad = covered.to_numpy() & ~np.isfinite(values)
    if bad.any():
        problems.append(f"{name}: {int(bad.sum())} value(s) of {task.target} are not numbers "
                        f"(e.g. {_examples(raw[bad])})")
    if not usable.any():
        problems.append(f"{name}: no numeric value of {task.target}; not scored")
        return None
    fill = float(values[usable].mean())
    if (~usable).any():
        problems.append(f"{name}: {int((~usable).sum())} held-out row(s) have no usable prediction; each is given "
                        f"the mean of the numeric predictions written ({fill:.4g}), never a value from the labels")
    return np.where(usable, values, fill)


def _probability_metrics(task: HeldoutTask, merged: pd.DataFrame, covered: pd.Series, y_true: np.ndarray,
                         problems: list[str]) -> dict[str, float]:
    """Binary: ROC AUC and PR AUC (average precision) of `<target>_proba`, when every row has a probability."""
    column = f"{task.target}_proba"
    if task.task != BINARY or column not in merged.columns:
        return {}
    values = pd.to_numeric(merged[column], errors="coerce")
    name = task.predictions_path
    if not covered.all():
        problems.append(f"{name}: {int((~covered).sum())} held-out row(s) have no {column}; ROC AUC and PR AUC "
                        "not computed")
        return {}
    if not values.between(0, 1).all():
        problems.append(f"{name}: {column} is not a probability in [0, 1] on every row; ROC AUC and PR AUC not "
                        "computed")
        return {}
    if len(np.unique(y_true)) < 2:
        return {}
    proba = values.to_numpy(dtype=float)
    return {"roc_auc": round(float(roc_auc_score(y_true, proba)), 4),
            "pr_auc": round(float(average_precision_score(y_true, proba)), 4)}


def score_predictions(path: Path, task: HeldoutTask) -> HeldoutScore:
    """Score a predictions CSV against the held-out labels, for a binary, multi-class or regression task."""
    preds = _read_predictions(path, task)
    if isinstance(preds, HeldoutScore):
        return preds
    problems: list[str] = []
    labels = load_labels(task)
    if task.task == REGRESSION:
        labels = _numeric_labels(labels, task.target)
    merged = _align(preds, labels, task, problems)
    covered = merged["_merge"] == "both"
    coverage = float(covered.mean()) if len(covered) else 0.0
    if coverage < MIN_COVERAGE:
        problems.append(f"{task.predictions_path}: only {coverage:.0%} of held-out rows predicted; misaligned, "
                        "not scored")
        return HeldoutScore(False, rows=len(preds), coverage=coverage, problems=problems)
    y_true, space = encode_labels(task, labels)
    raw = merged[f"{task.target}_pred"].where(covered, "")
    if space is None:
        y_pred = _number_predictions(task, raw, covered, problems)
        if y_pred is None:
            return HeldoutScore(False, rows=len(preds), coverage=coverage, problems=problems)
    else:
        y_pred = _class_predictions(task, space, raw, covered, y_true, problems)
    enc = Encoded(task.task, y_true, y_pred, _classes_of(task, space))
    metrics = point_metrics(enc)
    metrics.update(_probability_metrics(task, merged, covered, y_true, problems))
    primary = primary_metric(task)
    wanted = dict.fromkeys([primary, "f1"] if task.task == BINARY else [primary])
    interval = {metric: bootstrap_interval(enc, metric) for metric in wanted}
    metrics = {primary: metrics[primary], **metrics}
    return HeldoutScore(True, metrics=metrics, problems=problems, rows=len(preds), coverage=coverage,
                        interval=interval, primary=primary)


# ---------------------------------------------------------------- a metric in a sentence, against the reference
def fmt(value: float) -> str:
    """A metric value for a sentence: 3 decimals, or 1 for large errors."""
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3f}"


def ratio_to_reference(value: float, reference: float, metric: str) -> float | None:
    """value / reference, or reference / value for an error: above 1 is always better than the reference."""
    if higher_is_better(metric):
        return round(value / reference, 3) if reference > 0 else None
    if reference <= 0:
        return None
    return round(min(reference / value, RATIO_CAP), 3) if value > 0 else RATIO_CAP
