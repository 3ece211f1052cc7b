"""`grader pack new`: a complete assessment pack from a round's data file, in one command (SPEC §3).

Source table -> target analysis -> split -> files (training data as candidates receive it, held-out
features and labels, a fresh labelled sample) -> reference pipeline and baselines -> assessment.toml
and a drafted paper. The pack is written to a staging folder and moved into place only when it loads.
"""

from __future__ import annotations

import csv
import hashlib
import shlex
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from checks.context import HeldoutTask
from checks.scoring import baselines, score_predictions
from grader.packs.pack import MODES, PRIMARY_METRIC, Pack, PackError, load_pack
from grader.packs.paper import draft_paper
from grader.packs.probes import probe_columns
from grader.packs.reference import ReferenceResult, fit_predict
from grader.packs.source import ROWID, SourceTable, _sqlite_table, add_id_column, copy_rows, open_source, working_copy
from grader.packs.split import Split, split_rows
from grader.packs.target import TargetSpec, analyse_target
from grader.packs.tomlwrite import dumps

SECONDARY = {"binary": ["precision", "recall", "roc_auc", "pr_auc", "accuracy"],
             "multiclass": ["balanced_accuracy", "accuracy"], "regression": ["mae", "r2"]}
DEFAULT_SETTINGS = {
    "limits": {"timeout_s": 1200, "memory_mb": 2048, "cpus": 1.0, "pids": 256},
    "rules": {"install_requirements": True, "min_models": 2},
    "pass_rule": {"min_total_pct": 50, "min_levels": {"pipeline.design": 2}},
}
CREATED_ID = "row_id"


@dataclass
class NewPack:
    """What staff ask `pack new` for (the command line's options)."""

    data_file: Path
    target: str
    out: Path
    table: str | None = None
    task: str | None = None
    positive: str | None = None
    id_column: str | None = None
    labels_map: dict[str, str] | None = None
    group: str | None = None
    modes: tuple[str, ...] = ("predictions",)
    seen: bool = False
    holdout: float = 0.2
    split: str = "random"  # random (stratified or grouped) | tail: the last rows of the table are held out
    seed: int = 0
    title: str | None = None
    pack_id: str | None = None
    round_date: str | None = None
    settings: Path | None = None
    paper: Path | None = None
    force: bool = False
    command: str = ""


@dataclass
class Built:
    """The pack written, what was inferred, and how long each step took."""

    pack: Pack
    notes: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def build_pack(req: NewPack) -> Built:
    """Write the pack into req.out (atomically); PackError for any bad input, naming the file."""
    _check_request(req)
    out = Path(req.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pack-", dir=out.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="pack-work-") as work:
            built = _build(req, staging, Path(work))
        _move_into_place(staging, out, req.force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    built.pack = load_pack(out)
    return built


def _check_request(req: NewPack) -> None:
    for mode in req.modes:
        if mode not in MODES:
            raise PackError(f"--mode must be predictions, rerun or both, not {mode!r}")
    if req.seen and "predictions" in req.modes:
        raise PackError("--seen re-grades a past round on a resample of the file candidates had: it is for "
                        "--mode rerun only (predictions need rows nobody trained on)")
    out = Path(req.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not req.force:
        raise PackError(f"{out}: exists and is not empty (use --force to replace it)")
    if req.split not in ("random", "tail"):
        raise PackError(f"--split must be random or tail, not {req.split!r}")
    if req.split == "tail" and req.group:
        raise PackError("--split tail holds out the last rows; it cannot also keep --group groups together")
    if req.holdout <= 0:
        raise PackError(f"--holdout must be a share (0-1) or a row count, not {req.holdout}")


def _move_into_place(staging: Path, out: Path, force: bool) -> None:
    if out.exists():
        if not force:
            raise PackError(f"{out}: exists and is not empty (use --force to replace it)")
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    staging.rename(out)


def _build(req: NewPack, dest: Path, work: Path) -> Built:
    started = time.monotonic()
    built = Built(pack=None)  # type: ignore[arg-type]  # filled by build_pack once the pack loads
    source = open_source(req.data_file, req.table, work)
    where = f"{req.data_file} (table {source.table!r})"
    _check_columns(source, req, where)
    source, id_column, created = _id_column(source, req, work, where, built.notes)
    frame = source.read()
    frame.index = frame[ROWID].to_numpy()  # rows are addressed by their SQLite rowid from here on
    spec = analyse_target(frame[req.target], req.target, where, req.task, req.positive, req.labels_map)
    built.notes += list(spec.notes)
    labels = spec.labels
    groups = frame[req.group] if req.group else None
    odd = implausible_targets(labels, spec.task)
    if odd:
        built.notes.append(f"{len(odd)} row(s) with an implausible target (beyond 3 IQR of the quartiles) stay in "
                           "training and are never held out: held-out labels must be true values")
    split = split_rows(labels, spec.task, req.holdout, req.seed, where, groups, req.seen,
                       training_only(frame, id_column) | odd, how=req.split)
    if req.split == "tail":
        built.notes.append(f"held out: the last {len(split.heldout)} labelled rows of the table (--split tail)")
    built.timings["read_and_split_s"] = time.monotonic() - started
    files = _write_data(source, req, spec, split, frame, id_column, dest)
    step = time.monotonic()
    reference, rerun_reference, base = _reference_scores(req, spec, frame, split, id_column, dest, work)
    built.timings["reference_s"] = time.monotonic() - step
    built.facts = _facts(req, source, spec, split, frame, base, created, id_column)
    document = _document(req, source, spec, files, id_column, built.facts, reference, rerun_reference, dest)
    (dest / "assessment.toml").write_text(dumps(document, _comments(req)), encoding="utf-8")
    paper = Path(req.paper).read_text(encoding="utf-8") if req.paper else draft_paper(document, source)
    (dest / "paper.md").write_text(paper, encoding="utf-8")
    built.timings["total_s"] = time.monotonic() - started
    return built


def _check_columns(source: SourceTable, req: NewPack, where: str) -> None:
    names = source.names
    if req.target not in names:
        raise PackError(f"{where}: no target column {req.target!r}; columns: {', '.join(names)}")
    if req.group and req.group not in names:
        raise PackError(f"{where}: no group column {req.group!r}; columns: {', '.join(names)}")
    if req.group == req.target or req.id_column == req.target:
        raise PackError(f"{where}: the target {req.target!r} cannot also be the id or the group column")


def _id_column(source: SourceTable, req: NewPack, work: Path, where: str,
               notes: list[str]) -> tuple[SourceTable, str, bool]:
    """The id the held-out predictions are keyed by: given, found, or added to every row."""
    wanted = req.id_column
    if wanted and wanted in source.names:
        _require_unique(source, wanted, where)
        return source, wanted, False
    if wanted is None:
        found = _find_id(source, req.target)
        if found or "predictions" not in req.modes:
            if found:
                notes.append(f"id column: {found!r} (unique in every row; --id-column to choose)")
            return source, found or "", False
        wanted = CREATED_ID if CREATED_ID not in source.names else "pack_row_id"
    copy = working_copy(source, work)
    add_id_column(copy, source.table, wanted)
    notes.append(f"id column {wanted!r} created (R000001, ...): the table had none; it is in every file of the pack")
    return _sqlite_table(source.origin, copy, source.table), wanted, True


def _require_unique(source: SourceTable, column: str, where: str) -> None:
    """An id is unique and never NULL; a repeated id is allowed only on an exact duplicate row (planted dirt)."""
    frame = source.read()
    values = frame[column]
    repeated = frame[values.duplicated(keep=False)].drop(columns=[ROWID])
    clashes = int(repeated.drop_duplicates().duplicated(subset=[column]).sum())
    if values.isna().any() or clashes:
        raise PackError(f"{where}: the id column {column!r} has {int(values.isna().sum())} NULL value(s) and "
                        f"{clashes} id(s) shared by different rows: not an id (omit --id-column to have one created)")


def implausible_targets(labels: pd.Series, task: str, fences: float = 3.0) -> set[int]:
    """Regression: rows whose target lies far outside the quartiles (sign errors, unit slips) are never held out."""
    if task != "regression":
        return set()
    values = labels.dropna().astype(float)
    low, high = values.quantile(0.25), values.quantile(0.75)
    spread = high - low
    odd = values[(values < low - fences * spread) | (values > high + fences * spread)]
    return set(int(r) for r in odd.index)


def training_only(frame: pd.DataFrame, id_column: str) -> set[int]:
    """Rows whose id repeats (exact duplicate rows): they stay in training, so held-out ids are unique."""
    if not id_column:
        return set()
    return set(frame.loc[frame[id_column].duplicated(keep=False), ROWID].astype(int))


def _find_id(source: SourceTable, target: str) -> str | None:
    for name in (n for n in source.names if n != target):
        words = name.replace("_", " ").split()
        if words and words[-1].casefold() == "id":
            values = source.read([name])[name]
            if values.notna().all() and not values.duplicated().any():
                return name
    return None


def _write_data(source: SourceTable, req: NewPack, spec: TargetSpec, split: Split, frame: pd.DataFrame,
                id_column: str, dest: Path) -> dict[str, str]:
    """Training file, held-out features + labels, fresh sample. The fresh sample has exactly the training file's
    table: the same columns (an id pack new added included, as the paper gave it) and raw values."""
    name = source.db.name if source.db.suffix == ".db" else f"{source.db.stem}.db"
    files = {"file": f"data/{name}"}
    train_db = dest / files["file"]
    train_db.parent.mkdir(parents=True)
    whole = len(split.train) == source.rows
    if whole and source.db == source.origin:
        shutil.copyfile(source.origin, train_db)  # the very file candidates received
    else:
        copy_rows(source.db, source.table, source.create_sql, split.train, train_db)
    if "predictions" in req.modes:
        copy_rows(source.db, source.table, source.create_sql, split.heldout, dest / "holdout" / "holdout.db",
                  drop=req.target)
        _write_labels(dest / "holdout" / "labels.csv", frame, spec, split.heldout, id_column, req.target)
    if "rerun" in req.modes:
        files["fresh"] = f"rerun/{name}"
        copy_rows(source.db, source.table, source.create_sql, split.heldout, dest / files["fresh"])
    return files


def _write_labels(path: Path, frame: pd.DataFrame, spec: TargetSpec, rowids: list[int], id_column: str,
                  target: str) -> None:
    """id, label per held-out row: classes spelled as the pack names them (after the labels map)."""
    labels = spec.labels
    ids = frame[id_column] if id_column else None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([id_column or ROWID, target])
        for rowid in rowids:
            writer.writerow([ids[rowid] if ids is not None else rowid, _label_out(labels[rowid], spec.task)])


def _label_out(label: object, task: str) -> str:
    return repr(float(label)) if task == "regression" else str(label)


def _task_for(spec: TargetSpec, labels_csv: Path, id_column: str, target: str) -> HeldoutTask:
    return HeldoutTask(labels_path=labels_csv, id_column=id_column, target=target, task=spec.task,
                       positive_label=spec.positive, classes=spec.classes, labels_map=dict(spec.labels_map),
                       primary_metric=PRIMARY_METRIC[spec.task])


def score_reference(result: ReferenceResult, ids: pd.Series, task: HeldoutTask, folder: Path) -> dict[str, float]:
    """The reference pipeline's predictions written as a candidate's would be, and scored the same way."""
    predictions = pd.DataFrame({task.id_column: ids.to_numpy(), task.target: result.predicted})
    if result.proba is not None:
        predictions[f"{task.target}_proba"] = result.proba
    path = folder / "predictions.csv"
    predictions.to_csv(path, index=False)
    scored = score_predictions(path, task)
    if not scored.valid:
        raise RuntimeError(f"the reference pipeline's predictions are invalid: {scored.problems}")
    return scored.metrics


def _score(spec: TargetSpec, frame: pd.DataFrame, train_ids: list[int], test_ids: list[int], id_column: str,
           req: NewPack, work: Path) -> tuple[dict[str, float], dict]:
    """Fit the reference on train_ids, score it on test_ids; also the trivial baselines on those labels."""
    key = id_column or ROWID
    folder = Path(tempfile.mkdtemp(dir=work))
    _write_labels(folder / "labels.csv", frame, spec, test_ids, id_column, req.target)
    drop = {req.target, ROWID, *(c for c in (id_column, req.group) if c)}
    test = frame.loc[test_ids].drop(columns=[req.target])
    result = fit_predict(frame.loc[train_ids], spec.labels.loc[train_ids], test, spec.task, spec.positive, drop,
                         req.seed)
    task = _task_for(spec, folder / "labels.csv", key, req.target)
    return score_reference(result, test[key], task, folder), baselines(task)


def _reference_scores(req: NewPack, spec: TargetSpec, frame: pd.DataFrame, split: Split, id_column: str,
                      dest: Path, work: Path) -> tuple[dict, dict, dict]:
    """Predictions mode: trained on the training file, scored on the held-out rows. Rerun mode: trained and
    tested on a split of the fresh sample, the way a candidate's pipeline reports its own score."""
    reference, rerun_reference, base = {}, {}, {}
    if "predictions" in req.modes:
        odd = implausible_targets(spec.labels, spec.task)
        train = [r for r in _labelled(spec, split.train) if r not in odd]  # as a careful candidate would
        reference, base = _score(spec, frame, train, split.heldout, id_column, req, work)
    if "rerun" in req.modes:
        inner = split_rows(spec.labels.loc[split.heldout],
                           spec.task, 0.2, req.seed, str(req.data_file), check_sizes=False)
        rerun_reference, rerun_base = _score(spec, frame, inner.train, inner.heldout, id_column, req, work)
        base = base or rerun_base
    return reference, rerun_reference, base


def _labelled(spec: TargetSpec, rowids: list[int]) -> list[int]:
    return [r for r in rowids if pd.notna(spec.labels[r])]


def _balance(labels: pd.Series, task: str) -> dict:
    if task == "regression":
        values = labels.dropna().astype(float)
        return {"mean": round(float(values.mean()), 4), "std": round(float(values.std()), 4),
                "min": round(float(values.min()), 4), "max": round(float(values.max()), 4)}
    return {str(k): round(float(v), 4) for k, v in labels.dropna().value_counts(normalize=True).items()}


def _facts(req: NewPack, source: SourceTable, spec: TargetSpec, split: Split, frame: pd.DataFrame, base: dict,
           created: bool, id_column: str) -> dict:
    labels = spec.labels
    train = frame.loc[split.train]
    missing = {c: round(float(train[c].isna().mean()), 4) for c in source.names if train[c].isna().any()}
    facts = {
        "source": str(Path(req.data_file).name), "source_sha256": _sha256(Path(req.data_file)),
        "rows_source": source.rows, "rows_train": len(split.train), "rows_heldout": len(split.heldout),
        "seed": req.seed, "split": req.split, "seen_data": split.seen, "id_created": created,
        "raw_label_spellings": int(frame[req.target].dropna().nunique()),
        "class_balance" if spec.task != "regression" else "target_summary": _balance(labels, spec.task),
        "class_balance_heldout" if spec.task != "regression" else "target_summary_heldout":
            _balance(labels.loc[split.heldout], spec.task),
        "missing": missing,
        "baselines": base,
    }
    if req.group:
        facts["groups_train"] = int(frame.loc[split.train, req.group].nunique())
        facts["groups_heldout"] = int(frame.loc[split.heldout, req.group].nunique())
    return facts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def _settings(req: NewPack) -> dict:
    """The defaults, overridden table by table by the --settings file (domain words, advice, limits, ...)."""
    merged = {k: dict(v) for k, v in DEFAULT_SETTINGS.items()}
    if req.settings is None:
        return merged
    try:
        extra = tomllib.loads(Path(req.settings).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackError(f"{req.settings}: not a readable settings file ({exc})") from exc
    for name, table in extra.items():
        if isinstance(table, dict):
            merged.setdefault(name, {}).update(table)
        else:
            merged[name] = table
    return merged


def _dataset_table(req: NewPack, source: SourceTable, spec: TargetSpec, files: dict[str, str],
                   id_column: str) -> dict:
    dataset = {"file": files["file"], "table": source.table, "target": req.target, "id_column": id_column,
               "group_column": req.group, "positive_label": spec.positive,
               "classes": list(spec.classes) or None, "labels_map": spec.labels_map or None}
    return {k: v for k, v in dataset.items() if v is not None}


def _heldout_table(req: NewPack, files: dict[str, str]) -> dict:
    heldout: dict = {"mode": req.modes[0], "modes": list(req.modes)}
    if "predictions" in req.modes:
        heldout.update(features="holdout/holdout.db", labels="holdout/labels.csv", mount_as="holdout.db",
                       predictions="output/predictions.csv")
    if "rerun" in req.modes:
        heldout.update(fresh=files["fresh"], fresh_seen=req.seen)
    return heldout


def _document(req: NewPack, source: SourceTable, spec: TargetSpec, files: dict[str, str], id_column: str,
              facts: dict, reference: dict, rerun_reference: dict, dest: Path) -> dict:
    settings = _settings(req)
    stem = Path(req.data_file).stem
    document = {
        "id": req.pack_id or settings.pop("id", None) or stem.replace(" ", "-").lower(),
        "title": req.title or settings.pop("title", None) or f"Technical test: predict {req.target} ({stem})",
        "task": spec.task, "round_date": req.round_date,
        "dataset": _dataset_table(req, source, spec, files, id_column),
        "heldout": _heldout_table(req, files),
        "metrics": {"primary": PRIMARY_METRIC[spec.task], "secondary": SECONDARY[spec.task]},
        "reference": reference or None, "reference_rerun": rerun_reference or None,
        "facts": facts, "probes": probe_columns(dest / files["file"], source.table, req.target, id_column) or None,
    }
    for name, table in settings.items():
        document.setdefault(name, table)
    return {k: v for k, v in document.items() if v is not None}


def _comments(req: NewPack) -> dict[str, str]:
    return {
        "": f"Written by `grader pack new` ({time.strftime('%Y-%m-%d')}): edit freely, then run "
            "`grader pack validate`.\n" + (f"Command: {req.command}" if req.command else ""),
        "dataset": "The round's table exactly as candidates receive it. labels_map: raw target spellings -> the class "
                   "the held-out labels use.",
        "heldout": "predictions: held-out features in the sandbox, labels kept outside. rerun: the pipeline runs on "
                   "a fresh labelled sample mounted as the training file (fresh_seen: resampled from it).",
        "reference": "The reference pipeline (grader/packs/reference.py) trained on the training file, scored on "
                     "the held-out labels.",
        "reference_rerun": "The reference pipeline trained and tested on a split of the fresh sample: what a sound "
                           "pipeline reports about itself in rerun mode.",
        "facts": "What pack new measured (for the paper and the reports; not read by the rubric).",
    }


def command_line(argv: list[str]) -> str:
    return "grader " + " ".join(shlex.quote(a) for a in argv)
