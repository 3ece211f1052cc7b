"""Assessment packs (SPEC §3): a directory with assessment.toml, the paper, the data and the held-out set.

The mock pack ships as source (its toml, paper and a deterministic generator); its data files are
generated once into a cache directory, so every pack the rest of the grader sees is a plain directory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from checks.context import HeldoutTask
from sandbox.base import Limits

MOCK_SOURCE = Path(__file__).with_name("mock")
MOCK_ID = "mock"


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

    @property
    def train_db(self) -> Path:
        return self.root / self.dataset_file

    @property
    def paper(self) -> Path:
        return self.root / "paper.md"

    def heldout_task(self) -> HeldoutTask:
        return HeldoutTask(labels_path=self.labels, id_column=self.id_column, target=self.target, task=self.task,
                           predictions_path=self.predictions_file, reference=dict(self.reference))

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


def _table_columns(db: Path, table: str) -> tuple[str, ...]:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    except sqlite3.Error as exc:
        raise PackError(f"{db}: not a readable SQLite database ({exc})") from exc
    if not rows:
        raise PackError(f"{db}: has no table `{table}`")
    return tuple(r[1] for r in rows)


def load_pack(root: Path) -> Pack:
    """Load and validate a pack directory; PackError says which file and what is wrong."""
    root = Path(root)
    toml_path = root / "assessment.toml"
    if not toml_path.is_file():
        raise PackError(f"{root}: not an assessment pack (no assessment.toml)")
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{toml_path}: invalid TOML: {exc}") from exc
    task = _require(data, "task", toml_path)
    if task not in ("classification", "regression"):
        raise PackError(f"{toml_path}: task must be classification or regression, not {task!r}")
    mode = data.get("heldout", {}).get("mode", "predictions")
    if mode not in ("predictions", "rerun"):
        raise PackError(f"{toml_path}: heldout.mode must be predictions or rerun, not {mode!r}")
    dataset_file = _require(data, "dataset.file", toml_path)
    table = _require(data, "dataset.table", toml_path)
    target = _require(data, "dataset.target", toml_path)
    train_db = root / dataset_file
    if not train_db.is_file():
        raise PackError(f"{toml_path}: dataset.file {dataset_file} does not exist")
    columns = _table_columns(train_db, table)
    if target not in columns:
        raise PackError(f"{train_db}: table {table} has no target column {target!r}")
    heldout = data.get("heldout", {})
    features = root / heldout.get("features", "holdout/holdout.db")
    labels = root / heldout.get("labels", "holdout/labels.csv")
    if mode == "predictions":
        for path in (features, labels):
            if not path.is_file():
                raise PackError(f"{toml_path}: held-out file {path.relative_to(root)} does not exist")
        held_columns = _table_columns(features, table)
        if target in held_columns:
            raise PackError(f"{features}: the held-out features must not contain the target {target!r}")
    fresh = None
    if mode == "rerun":
        fresh = root / heldout.get("fresh", "rerun/" + Path(dataset_file).name)
        if not fresh.is_file():
            raise PackError(f"{toml_path}: rerun mode needs heldout.fresh, a fresh labelled sample; "
                            f"{fresh.relative_to(root)} does not exist")
        fresh_columns = _table_columns(fresh, table)
        if target not in fresh_columns:
            raise PackError(f"{fresh}: the fresh sample must contain the target {target!r} (the pipeline trains on it)")
    limits = data.get("limits", {})
    rules = data.get("rules", {})
    return Pack(
        root=root, id=_require(data, "id", toml_path), title=data.get("title", ""), task=task, table=table,
        target=target, id_column=_require(data, "dataset.id_column", toml_path), dataset_file=dataset_file,
        heldout_mode=mode, holdout_features=features, labels=labels,
        holdout_mount_name=heldout.get("mount_as", "holdout.db"),
        predictions_file=heldout.get("predictions", "output/predictions.csv"),
        primary_metric=data.get("metrics", {}).get("primary", "f1"),
        secondary_metrics=tuple(data.get("metrics", {}).get("secondary", [])),
        reference={k: float(v) for k, v in data.get("reference", {}).items()},
        limits=Limits(timeout_s=float(limits.get("timeout_s", 1200)), memory_mb=int(limits.get("memory_mb", 2048)),
                      cpus=float(limits.get("cpus", 1.0)), pids=int(limits.get("pids", 256))),
        pass_rule=dict(data.get("pass_rule", {})),
        weights={k: float(v) for k, v in data.get("weights", {}).items()},
        min_models=int(rules.get("min_models", 2)),
        install_requirements=bool(rules.get("install_requirements", False)),
        columns=columns,
        fresh_sample=fresh,
        round_date=_round_date(data.get("round_date"), toml_path),
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


def _cache_root() -> Path:
    base = os.environ.get("AIE_GRADER_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "aie-grader")
    return Path(base)


def mock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("generate.py", "assessment.toml", "paper.md"):
        digest.update((MOCK_SOURCE / name).read_bytes())
    return digest.hexdigest()[:12]


def build_mock_pack(dest: Path) -> Path:
    """Write a complete mock pack (toml, paper, generated data) into dest."""
    from grader.packs.mock.generate import write_pack_data

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MOCK_SOURCE / "assessment.toml", dest / "assessment.toml")
    shutil.copyfile(MOCK_SOURCE / "paper.md", dest / "paper.md")
    write_pack_data(dest)
    return dest


def mock_pack_dir() -> Path:
    """The mock pack's directory in the cache, generated on first use (atomically)."""
    final = _cache_root() / "packs" / f"mock-{mock_digest()}"
    if (final / "holdout" / "labels.csv").is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="mock-", dir=final.parent))
    build_mock_pack(staging)
    try:
        staging.rename(final)
    except OSError:  # another process finished first
        shutil.rmtree(staging, ignore_errors=True)
    return final


def resolve_pack(spec: str | Path | None) -> Pack:
    """`None` or "mock" -> the built-in mock pack; anything else is a pack directory."""
    if spec is None or str(spec) == MOCK_ID:
        return load_pack(mock_pack_dir())
    return load_pack(Path(spec))
