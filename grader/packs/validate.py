"""`grader pack validate`: every problem of a pack directory at once, each naming its file."""

from __future__ import annotations

import csv
import sqlite3
import tomllib
from collections.abc import Callable
from pathlib import Path

from grader.packs.pack import MODES, PRIMARY_METRIC, TASKS, PackError, load_pack, table_columns
from grader.packs.source import quote

Problems = list[str]


def _columns(db: Path, table: str) -> tuple[list[str] | None, str | None]:
    """The table's columns, or the problem that keeps them from being read (as a value: every problem is listed)."""
    try:
        return list(table_columns(db, table)), None
    except PackError as exc:
        return None, str(exc)


def _dataset(root: Path, data: dict, out: Problems) -> list[str]:
    dataset = data.get("dataset")
    if not isinstance(dataset, dict):
        out.append(f"{root / 'assessment.toml'}: missing the [dataset] table")
        return []
    for key in ("file", "table", "target"):
        if key not in dataset:
            out.append(f"{root / 'assessment.toml'}: missing required setting `dataset.{key}`")
    if "file" not in dataset or "table" not in dataset:
        return []
    train = root / dataset["file"]
    if not train.is_file():
        out.append(f"{root / 'assessment.toml'}: dataset.file {dataset['file']} does not exist")
        return []
    columns, problem = _columns(train, dataset["table"])
    if problem:
        out.append(problem)
        return []
    for key in ("target", "id_column", "group_column"):
        if dataset.get(key) and dataset[key] not in columns:
            out.append(f"{train}: table {dataset['table']} has no {key.replace('_', ' ')} {dataset[key]!r}")
    return columns


def _task(root: Path, data: dict, out: Problems) -> None:
    task = data.get("task")
    task = "binary" if task == "classification" else task
    where = root / "assessment.toml"
    if task not in TASKS:
        out.append(f"{where}: task must be one of {', '.join(TASKS)}, not {task!r}")
        return
    dataset = data.get("dataset", {})
    classes = [str(c) for c in dataset.get("classes", [])]
    if task == "binary" and classes and str(dataset.get("positive_label", "1")) not in classes:
        out.append(f"{where}: dataset.positive_label {dataset.get('positive_label')!r} is not one of the classes "
                   f"({', '.join(classes)})")
    mapped = set(dataset.get("labels_map", {}).values())
    if classes and not mapped <= set(classes):
        out.append(f"{where}: dataset.labels_map maps to {sorted(mapped - set(classes))}, which are not classes")
    primary = data.get("metrics", {}).get("primary", PRIMARY_METRIC[task])
    for table in ("reference", "reference_rerun"):
        scores = data.get(table)
        if scores and primary not in scores:
            out.append(f"{where}: [{table}] has no score for the primary metric {primary!r}")


def _heldout(root: Path, data: dict, columns: list[str], out: Problems) -> None:
    heldout, dataset = data.get("heldout", {}), data.get("dataset", {})
    modes = heldout.get("modes", [heldout.get("mode", "predictions")])
    where = root / "assessment.toml"
    for mode in modes:
        if mode not in MODES:
            out.append(f"{where}: heldout mode must be predictions or rerun, not {mode!r}")
    table, target = dataset.get("table", ""), dataset.get("target", "")
    if "predictions" in modes:
        _predictions_files(root, heldout, dataset, table, target, out)
    if "rerun" in modes:
        fresh = root / heldout.get("fresh", "rerun/" + Path(dataset.get("file", "x.db")).name)
        if not fresh.is_file():
            out.append(f"{where}: rerun mode needs heldout.fresh; {fresh.relative_to(root)} does not exist")
        else:
            fresh_columns, problem = _columns(fresh, table)
            if problem:
                out.append(problem)
            elif columns and fresh_columns != columns:
                out.append(f"{fresh}: the fresh sample's columns differ from the training file's")


def _predictions_files(root: Path, heldout: dict, dataset: dict, table: str, target: str, out: Problems) -> None:
    features = root / heldout.get("features", "holdout/holdout.db")
    labels = root / heldout.get("labels", "holdout/labels.csv")
    id_column = dataset.get("id_column", "")
    if not id_column:
        out.append(f"{root / 'assessment.toml'}: predictions mode needs dataset.id_column (the predictions' key)")
    held_ids = None
    if not features.is_file():
        out.append(f"{root / 'assessment.toml'}: held-out file {features.relative_to(root)} does not exist")
    else:
        held_columns, problem = _columns(features, table)
        if problem:
            out.append(problem)
        elif target in held_columns:
            out.append(f"{features}: the held-out features must not contain the target {target!r}")
        elif id_column in held_columns:
            with sqlite3.connect(f"file:{features}?mode=ro", uri=True) as conn:
                sql = f"SELECT {quote(id_column)} FROM {quote(table)}"
                held_ids = {str(r[0]) for r in conn.execute(sql)}
    if not labels.is_file():
        out.append(f"{root / 'assessment.toml'}: held-out file {labels.relative_to(root)} does not exist")
        return
    _labels_file(labels, id_column, target, held_ids, out)


def _labels_file(labels: Path, id_column: str, target: str, held_ids: set[str] | None, out: Problems) -> None:
    try:
        with labels.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        out.append(f"{labels}: not a readable CSV ({exc})")
        return
    if not rows or id_column not in rows[0] or target not in rows[0]:
        out.append(f"{labels}: needs the columns {id_column!r} and {target!r}")
        return
    ids = {r[id_column] for r in rows}
    if held_ids is not None and ids != held_ids:
        out.append(f"{labels}: its ids differ from the held-out features' ({len(ids ^ held_ids)} id(s) in one only)")
    if any(r[target] == "" for r in rows):
        out.append(f"{labels}: some held-out rows have no label")


def _settings(root: Path, data: dict, out: Problems) -> None:
    where = root / "assessment.toml"
    if "id" not in data:
        out.append(f"{where}: missing required setting `id`")
    for key, value in data.get("limits", {}).items():
        if not isinstance(value, int | float) or value <= 0:
            out.append(f"{where}: limits.{key} must be a positive number, not {value!r}")
    if not (root / "paper.md").is_file():
        out.append(f"{root}: no paper.md (the candidate-facing paper)")


CHECKS: tuple[Callable[[Path, dict, Problems], None], ...] = (_task, _settings)


def pack_problems(root: Path) -> Problems:
    """Every problem found in the pack (empty when it is usable)."""
    root = Path(root)
    toml_path = root / "assessment.toml"
    if not toml_path.is_file():
        return [f"{root}: not an assessment pack (no assessment.toml)"]
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [f"{toml_path}: invalid TOML: {exc}"]
    problems: Problems = []
    columns = _dataset(root, data, problems)
    for check in CHECKS:
        check(root, data, problems)
    _heldout(root, data, columns, problems)
    if not problems:
        for mode in data.get("heldout", {}).get("modes", [None]):
            try:
                load_pack(root, mode)
            except PackError as exc:
                problems.append(str(exc))
    return problems
