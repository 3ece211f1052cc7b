"""An assessment pack as the grader reads it (SPEC §3): assessment.toml, the paper, the data and the held-out set,
loaded and validated into a Pack; every problem is a PackError naming the file."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from checks.context import HeldoutTask
from sandbox.base import Limits


class PackError(ValueError):
    """An assessment pack that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Pack:
    """A loaded, validated assessment pack."""

    root: Path
    id: str
    title: str
    task: str
    table: str
    target: str
    id_column: str
    dataset_file: str
    heldout_mode: str
    holdout_features: Path
    labels: Path
    holdout_mount_name: str
    predictions_file: str
    primary_metric: str
    secondary_metrics: tuple[str, ...]
    reference: dict[str, float]
    limits: Limits
    pass_rule: dict
    weights: dict[str, float]
    min_models: int
    install_requirements: bool
    columns: tuple[str, ...] = field(default_factory=tuple)
    fresh_sample: Path | None = None  # rerun mode: unseen labelled rows mounted where the training data is expected
    round_date: str | None = None  # YYYY-MM-DD: requirements resolve to what was published by then
    positive_label: str | None = None  # binary: the positive class as spelled in labels.csv
    classes: tuple[str, ...] = ()  # classification: the classes as spelled in labels.csv (after the labels map)
    labels_map: dict[str, str] = field(default_factory=dict)  # raw target spelling -> class
    group_column: str | None = None  # rows of one group never straddle training and held-out data
    modes: tuple[str, ...] = ()  # the held-out modes the pack's files support (heldout_mode is the one in use)
    fresh_seen: bool = False  # rerun sample resampled from the training file itself ("seen data")
    facts: dict = field(default_factory=dict)  # rows per split, class balance, baselines: what pack new measured
    domain: dict[str, str] = field(default_factory=dict)  # the round's words for brief questions (subject, ...)
    advice: dict[str, str] = field(default_factory=dict)  # rubric line id -> the round's own advice
    probe_columns: dict[str, str] = field(default_factory=dict)  # probe name -> the column it changes

    @property
    def train_db(self) -> Path:
        return self.root / self.dataset_file

    @property
    def paper(self) -> Path:
        return self.root / "paper.md"

    def heldout_task(self) -> HeldoutTask:
        return HeldoutTask(labels_path=self.labels, id_column=self.id_column, target=self.target, task=self.task,
                           positive_label=self.positive_label if self.task == "binary" else None,
                           classes=self.classes, labels_map=dict(self.labels_map),
                           primary_metric=self.primary_metric,
                           predictions_path=self.predictions_file, reference=dict(self.reference))

    def summary(self) -> dict:
        """What a report says about the pack: the task and the round's own words (never the held-out labels)."""
        return {"id": self.id, "title": self.title, "task": self.task, "target": self.target,
                "dataset_file": self.dataset_file, "table": self.table, "positive_label": self.positive_label,
                "classes": list(self.classes), "class_balance": dict(self.facts.get("class_balance", {})),
                "heldout_mode": self.heldout_mode, "seen_data": self.heldout_mode == "rerun" and self.fresh_seen,
                "primary_metric": self.primary_metric, "domain": dict(self.domain), "advice": dict(self.advice)}

    def stage_data(self, dest: Path) -> Path:
        """Copy what a sandbox may see (training db and held-out features, never the labels) into dest."""
        dest.mkdir(parents=True, exist_ok=True)
        source = self.fresh_sample if self.heldout_mode == "rerun" and self.fresh_sample else self.train_db
        shutil.copyfile(source, dest / Path(self.dataset_file).name)
        if self.heldout_mode == "predictions":
            shutil.copyfile(self.holdout_features, dest / self.holdout_mount_name)
        for path in dest.iterdir():
            path.chmod(0o444)
        dest.chmod(0o555)
        return dest


def _require(data: dict, dotted: str, where: Path):
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise PackError(f"{where}: missing required setting `{dotted}`")
        node = node[part]
    return node


def table_columns(db: Path, table: str) -> tuple[str, ...]:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            rows = conn.execute('PRAGMA table_info("' + table.replace('"', '""') + '")').fetchall()
    except sqlite3.Error as exc:
        raise PackError(f"{db}: not a readable SQLite database ({exc})") from exc
    if not rows:
        raise PackError(f"{db}: has no table `{table}`")
    return tuple(r[1] for r in rows)


TASKS = ("binary", "multiclass", "regression")
MODES = ("predictions", "rerun")
PRIMARY_METRIC = {"binary": "f1", "multiclass": "macro_f1", "regression": "rmse"}


def _read_toml(root: Path) -> tuple[Path, dict]:
    toml_path = root / "assessment.toml"
    if not toml_path.is_file():
        raise PackError(f"{root}: not an assessment pack (no assessment.toml)")
    try:
        return toml_path, tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackError(f"{toml_path}: invalid TOML: {exc}") from exc


def _task(data: dict, where: Path) -> str:
    task = _require(data, "task", where)
    task = "binary" if task == "classification" else task  # packs written before multi-class existed
    if task not in TASKS:
        raise PackError(f"{where}: task must be one of {', '.join(TASKS)}, not {task!r}")
    return task


def _modes(data: dict, mode: str | None, where: Path) -> tuple[str, tuple[str, ...]]:
    """The held-out mode in use (the override, else the pack's default) and every mode the pack supports."""
    heldout = data.get("heldout", {})
    default = heldout.get("mode", "predictions")
    modes = tuple(dict.fromkeys([*heldout.get("modes", []), default]))  # the default mode always counts
    for name in (default, *modes):
        if name not in MODES:
            raise PackError(f"{where}: heldout.mode must be predictions or rerun, not {name!r}")
    chosen = mode or default
    if chosen not in modes:
        raise PackError(f"{where}: the pack has no {chosen} mode (it has {', '.join(modes)})")
    return chosen, modes


def _check_heldout_files(root: Path, toml_path: Path, data: dict, mode: str) -> tuple[Path, Path, Path | None]:
    heldout = data.get("heldout", {})
    table, target = data["dataset"]["table"], data["dataset"]["target"]
    features = root / heldout.get("features", "holdout/holdout.db")
    labels = root / heldout.get("labels", "holdout/labels.csv")
    if mode == "predictions":
        for path in (features, labels):
            if not path.is_file():
                raise PackError(f"{toml_path}: held-out file {path.relative_to(root)} does not exist")
        if target in table_columns(features, table):
            raise PackError(f"{features}: the held-out features must not contain the target {target!r}")
    fresh = None
    if mode == "rerun":
        fresh = root / heldout.get("fresh", "rerun/" + Path(data["dataset"]["file"]).name)
        if not fresh.is_file():
            raise PackError(f"{toml_path}: rerun mode needs heldout.fresh, a fresh labelled sample; "
                            f"{fresh.relative_to(root)} does not exist")
        if target not in table_columns(fresh, table):
            raise PackError(f"{fresh}: the fresh sample must contain the target {target!r} (the pipeline trains on it)")
    return features, labels, fresh


def _limits(data: dict) -> Limits:
    limits = data.get("limits", {})
    return Limits(timeout_s=float(limits.get("timeout_s", 1200)), memory_mb=int(limits.get("memory_mb", 2048)),
                  cpus=float(limits.get("cpus", 1.0)), pids=int(limits.get("pids", 256)))


def _reference(data: dict, mode: str) -> dict[str, float]:
    """Reference scores: on the held-out rows (predictions) or as a pipeline would report them (rerun)."""
    table = data.get("reference", {})
    if mode == "rerun" and data.get("reference_rerun"):
        table = data["reference_rerun"]
    return {k: float(v) for k, v in table.items()}


def _classification(data: dict, task: str) -> dict:
    dataset = data["dataset"]
    if task == "regression":
        return {}
    positive = dataset.get("positive_label", "1" if task == "binary" else None)
    return {"positive_label": None if positive is None else str(positive),
            "classes": tuple(str(c) for c in dataset.get("classes", [])),
            "labels_map": {str(k): str(v) for k, v in dataset.get("labels_map", {}).items()}}


def load_pack(root: Path, mode: str | None = None) -> Pack:
    """Load and validate a pack directory; PackError says which file and what is wrong.

    `mode` picks one of the held-out modes the pack supports (default: the pack's own `heldout.mode`).
    """
    root = Path(root)
    toml_path, data = _read_toml(root)
    task = _task(data, toml_path)
    mode, modes = _modes(data, mode, toml_path)
    dataset_file = _require(data, "dataset.file", toml_path)
    table = _require(data, "dataset.table", toml_path)
    target = _require(data, "dataset.target", toml_path)
    train_db = root / dataset_file
    if not train_db.is_file():
        raise PackError(f"{toml_path}: dataset.file {dataset_file} does not exist")
    columns = table_columns(train_db, table)
    if target not in columns:
        raise PackError(f"{train_db}: table {table} has no target column {target!r}")
    features, labels, fresh = _check_heldout_files(root, toml_path, data, mode)
    heldout, rules, metrics = data.get("heldout", {}), data.get("rules", {}), data.get("metrics", {})
    return Pack(
        root=root, id=_require(data, "id", toml_path), title=data.get("title", ""), task=task, table=table,
        target=target, id_column=data["dataset"].get("id_column", ""), dataset_file=dataset_file,
        heldout_mode=mode, holdout_features=features, labels=labels,
        holdout_mount_name=heldout.get("mount_as", "holdout.db"),
        predictions_file=heldout.get("predictions", "output/predictions.csv"),
        primary_metric=metrics.get("primary", PRIMARY_METRIC[task]),
        secondary_metrics=tuple(metrics.get("secondary", [])),
        reference=_reference(data, mode), limits=_limits(data),
        pass_rule=dict(data.get("pass_rule", {})),
        weights={k: float(v) for k, v in data.get("weights", {}).items()},
        min_models=int(rules.get("min_models", 2)),
        install_requirements=bool(rules.get("install_requirements", False)),
        columns=columns, fresh_sample=fresh, round_date=_round_date(data.get("round_date"), toml_path),
        group_column=data["dataset"].get("group_column"), modes=modes,
        fresh_seen=bool(heldout.get("fresh_seen", False)), facts=dict(data.get("facts", {})),
        domain={str(k): str(v) for k, v in data.get("domain", {}).items()},
        advice={str(k): str(v) for k, v in data.get("advice", {}).items()},
        probe_columns={str(k): str(v) for k, v in data.get("probes", {}).items()},
        **_classification(data, task),
    )


def _round_date(value: object, where: Path) -> str | None:
    """The round's date as YYYY-MM-DD (a TOML date or a string), or None when the pack has none."""
    import datetime

    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise PackError(f"{where}: round_date must be a date like 2025-06-30, not {value!r}") from None
