"""What the round asks to predict: the task type, the classes and their spellings, the positive class.

Inferred from the target column when staff do not say; every inference is printed by `pack new` and
written into the pack, where staff can correct it.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from grader.packs.pack import TASKS, PackError

MAX_CLASSES = 50
MAX_INTEGER_CLASSES = 10  # an integer target with more distinct values is a quantity (regression)
POSITIVE_WORDS = ("1", "yes", "true", "y", "positive")


@dataclass(frozen=True)
class TargetSpec:
    """The target as the pack grades it: classes spelled as in labels.csv, raw spellings mapped to them."""

    task: str
    labels: pd.Series  # per row: the class (str) or the value (float); NaN where the row has no label
    classes: tuple[str, ...] = ()
    positive: str | None = None
    labels_map: dict[str, str] = field(default_factory=dict)  # raw spelling -> class, only where they differ
    notes: tuple[str, ...] = ()  # what was inferred, said plainly


def normal_key(text: str) -> str:
    """A label's spelling reduced to letters and digits (`Low_Activity`, `lowactivity` -> `lowactivity`)."""
    return re.sub(r"[^0-9a-z]", "", str(text).casefold())


def label_text(value: object) -> str | None:
    """A stored label as text: integers without `.0`, text stripped of nothing (spellings are data)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def parse_labels_map(spec: str | None, origin: str = "--labels-map") -> dict[str, str] | None:
    """`raw=class;raw2=class`, or a .toml / .json file mapping raw spellings to classes; None when absent."""
    if not spec:
        return None
    path = Path(spec)
    if path.suffix in (".toml", ".json") and path.is_file():
        try:
            text = path.read_text("utf-8")
            data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise PackError(f"{path}: not a readable labels map ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(v, str | int) for v in data.values()):
            raise PackError(f"{path}: a labels map is a table of raw spelling = class")
        return {str(k): str(v) for k, v in data.items()}
    pairs = [p for p in re.split(r"[;\n]", spec) if p.strip()]
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise PackError(f"{origin}: {pair!r} is not raw=class (separate pairs with ';', or give a .toml file)")
        raw, _, cls = pair.partition("=")
        mapping[raw] = cls.strip()
    return mapping


def _inferred_map(raw: pd.Series) -> dict[str, str]:
    """Spellings that differ only in case, spaces or punctuation merged into their most frequent one."""
    counts = raw.value_counts()
    groups: dict[str, list[str]] = {}
    for spelling in counts.index:  # most frequent first
        groups.setdefault(normal_key(spelling), []).append(spelling)
    return {s: spellings[0] for spellings in groups.values() for s in spellings[1:]}


def _apply_map(raw: pd.Series, mapping: dict[str, str], origin: str) -> pd.Series:
    unknown = sorted(set(mapping) - set(raw.dropna()))
    if unknown and len(unknown) == len(mapping):
        raise PackError(f"{origin}: no spelling of the labels map occurs in the target (e.g. {unknown[0]!r})")
    return raw.map(lambda v: mapping.get(v, v) if v is not None else None)


def _is_numeric(raw: pd.Series) -> bool:
    values = raw.dropna()
    return len(values) > 0 and bool(pd.to_numeric(values, errors="coerce").notna().all())


def _infer_task(raw: pd.Series, mapped: pd.Series) -> tuple[str, str]:
    classes = mapped.dropna().nunique()
    if _is_numeric(raw):
        numbers = pd.to_numeric(raw.dropna())
        integer = bool((numbers == numbers.round()).all())
        if classes == 2:
            return "binary", "2 distinct values"
        if integer and classes <= MAX_INTEGER_CLASSES:
            return "multiclass", f"{classes} distinct integer values"
        return "regression", f"numeric with {classes} distinct values"
    if classes == 2:
        return "binary", "2 classes"
    return "multiclass", f"{classes} classes"


def _require_classes(mapped: pd.Series, task: str, where: str, target: str) -> tuple[str, ...]:
    counts = mapped.dropna().value_counts()
    rows = int(counts.sum())
    if len(counts) == rows and rows > 2:
        raise PackError(f"{where}: every value of the target {target!r} occurs once ({rows} rows, {rows} values): "
                        "it looks like an id, not something to classify (use --task regression for a quantity)")
    if len(counts) > MAX_CLASSES:
        raise PackError(f"{where}: the target {target!r} has {len(counts)} classes (more than {MAX_CLASSES}); "
                        "map spellings with --labels-map, or use --task regression for a quantity")
    if task == "binary" and len(counts) != 2:
        raise PackError(f"{where}: --task binary needs 2 classes; the target {target!r} has {len(counts)} "
                        f"({', '.join(map(str, counts.index[:8]))})")
    single = [str(c) for c, n in counts.items() if n < 2]
    if single:
        raise PackError(f"{where}: class {single[0]!r} of the target {target!r} has a single row: a stratified split "
                        "needs at least 2 per class (merge it into another class with --labels-map)")
    return tuple(sorted(str(c) for c in counts.index))


def _positive(classes: tuple[str, ...], mapped: pd.Series, wanted: str | None, mapping: dict[str, str],
              where: str) -> tuple[str, str]:
    if wanted is not None:
        chosen = mapping.get(wanted, wanted)
        match = [c for c in classes if c == chosen] or [c for c in classes if normal_key(c) == normal_key(chosen)]
        if not match:
            raise PackError(f"{where}: --positive {wanted!r} is not a class of the target; "
                            f"classes: {', '.join(classes)}")
        return match[0], "given"
    for word in POSITIVE_WORDS:
        match = [c for c in classes if normal_key(c) == word]
        if match:
            return match[0], f"{match[0]!r} reads as the positive class"
    minority = str(mapped.dropna().value_counts().idxmin())
    return minority, "the minority class"


def analyse_target(raw_values: pd.Series, target: str, where: str, task: str | None = None,
                   positive: str | None = None, labels_map: dict[str, str] | None = None) -> TargetSpec:
    """Decide the task and the classes of a target column; PackError for a target nothing can be learnt from."""
    raw = raw_values.map(label_text)
    present = raw.dropna()
    if present.empty:
        raise PackError(f"{where}: the target {target!r} has no values (every row is NULL)")
    if task is not None and task not in TASKS:
        raise PackError(f"--task must be one of {', '.join(TASKS)}, not {task!r}")
    if task == "regression" or (task is None and labels_map is None and _is_numeric(raw)
                                and raw.nunique() > MAX_INTEGER_CLASSES):
        return _regression(raw_values, target, where, [] if task else ["task inferred: regression (numeric target)"])
    return _classification(raw, target, where, task, positive, labels_map)


def _classification(raw: pd.Series, target: str, where: str, task: str | None, positive: str | None,
                    labels_map: dict[str, str] | None) -> TargetSpec:
    present = raw.dropna()
    notes: list[str] = []
    mapping = labels_map if labels_map is not None else _inferred_map(present)
    if labels_map is None and mapping:
        notes.append(f"labels map inferred: {present.nunique()} spellings -> "
                     f"{present.map(lambda v: mapping.get(v, v)).nunique()} classes ({_map_text(mapping)})")
    mapped = _apply_map(raw, mapping, where)
    if mapped.dropna().nunique() < 2:
        raise PackError(f"{where}: the target {target!r} is constant ({present.iloc[0]!r} in every labelled row): "
                        "there is nothing to predict")
    inferred, reason = _infer_task(raw, mapped)
    chosen = task or inferred
    if task is None:
        notes.insert(0, f"task inferred: {chosen} ({reason})")
    if chosen == "regression":
        return _regression(raw, target, where, notes)
    classes = _require_classes(mapped, chosen, where, target)
    spec_positive = None
    if chosen == "binary":
        spec_positive, why = _positive(classes, mapped, positive, mapping, where)
        if why != "given":
            notes.append(f"positive class: {spec_positive!r} ({why}; --positive to choose)")
    return TargetSpec(task=chosen, labels=mapped, classes=classes, positive=spec_positive,
                      labels_map={k: v for k, v in mapping.items() if k != v}, notes=tuple(notes))


def _regression(raw_values: pd.Series, target: str, where: str, notes: list[str]) -> TargetSpec:
    numbers = pd.to_numeric(raw_values, errors="coerce")
    bad = raw_values.notna() & numbers.isna()
    if bad.all() or numbers.notna().sum() == 0:
        raise PackError(f"{where}: --task regression needs a numeric target; {target!r} holds text such as "
                        f"{str(raw_values[bad].iloc[0])!r}")
    if numbers.nunique() < 2:
        raise PackError(f"{where}: the target {target!r} is constant ({numbers.dropna().iloc[0]}): nothing to predict")
    if bad.any():
        notes.append(f"{int(bad.sum())} target value(s) are not numbers (e.g. {str(raw_values[bad].iloc[0])!r}): "
                     "those rows stay in the training data but are never held out")
    return TargetSpec(task="regression", labels=numbers.astype(float), notes=tuple(notes))


def _map_text(mapping: dict[str, str], limit: int = 6) -> str:
    items = [f"{k!r}->{v!r}" for k, v in list(mapping.items())[:limit]]
    return ", ".join(items) + (", ..." if len(mapping) > limit else "")
