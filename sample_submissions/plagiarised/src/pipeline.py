"""Entry point: ``python -m src.pipeline --config config.yaml [options]``.

Steps: options -> labelled data -> de-dup -> sanitise -> attributes -> split ->
grid search per family -> best CV F1 -> cut-off on validation -> test once ->
refit on everything -> predict the hold-out table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
from sklearn.pipeline import Pipeline

from src.estimators import assemble_specs
from src.fitting import (
    Partitions,
    SearchOutcome,
    late_probability,
    partition_rows,
    pick_winner,
    refit_full,
    search_one,
)
from src.ingest import BadInputData, load_labelled, load_unlabelled
from src.scoring import best_cutoff, compute_scores, print_scores, save_csv, score_frame
from src.settings import RunSettings, SettingsProblem, read_settings
from src.transform import make_attributes, remove_repeats, sanitise

log = logging.getLogger("pipeline")

DEFAULT_CUTOFF = 0.5


def read_cli(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Fit and apply the late-parcel model.")
    ap.add_argument("--config", default="config.yaml", help="YAML options file")
    ap.add_argument("--labelled-db", help="replace inputs.labelled_db")
    ap.add_argument("--unlabelled-db", help="replace inputs.unlabelled_db")
    ap.add_argument("--out", help="replace artefacts.folder")
    ap.add_argument("--seed", type=int, help="replace partition.random_state")
    ap.add_argument("--folds", type=int, help="replace partition.n_folds")
    ap.add_argument("--only", nargs="+", help="restrict the comparison to these families")
    ap.add_argument("--skip-holdout", action="store_true", help="do not score the hold-out db")
    ap.add_argument("--verbosity", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    return ap.parse_args(argv)


def merge_cli(opts: RunSettings, ns: argparse.Namespace) -> RunSettings:
    """Apply command-line replacements on top of the YAML options."""
    part = opts.partition
    if ns.seed is not None:
        part = dataclasses.replace(part, random_state=ns.seed)
    if ns.folds is not None:
        if ns.folds < 2:
            raise SettingsProblem("--folds must be 2 or more")
        part = dataclasses.replace(part, n_folds=ns.folds)
    src = opts.inputs
    if ns.labelled_db:
        src = dataclasses.replace(src, labelled_db=Path(ns.labelled_db))
    if ns.unlabelled_db:
        src = dataclasses.replace(src, unlabelled_db=Path(ns.unlabelled_db))
    out = opts.artefacts
    if ns.out:
        out = dataclasses.replace(out, folder=Path(ns.out))
    fams = opts.candidates
    if ns.only:
        unknown = [f for f in ns.only if f not in fams]
        if unknown:
            raise SettingsProblem(f"--only: not in config.yaml: {', '.join(unknown)}")
        fams = {f: fams[f] for f in ns.only}
    return dataclasses.replace(opts, inputs=src, artefacts=out, partition=part, candidates=fams)


def ensure_files(opts: RunSettings, with_holdout: bool) -> None:
    needed = [opts.inputs.labelled_db]
    if with_holdout:
        needed.append(opts.inputs.unlabelled_db)
    for db in needed:
        if not db.is_file():
            raise FileNotFoundError(f"missing database {db} (start from the submission folder)")


def build_training_matrix(opts: RunSettings) -> tuple[pd.DataFrame, pd.Series]:
    src = opts.inputs
    clean = sanitise(remove_repeats(load_labelled(src.labelled_db, src.table_name, src.label)),
                     opts.limits)
    return make_attributes(clean), clean[src.label]


def compare_on_validation(
    outcomes: list[SearchOutcome], winner: SearchOutcome, parts: Partitions, opts: RunSettings
) -> tuple[dict[str, Any], float, float]:
    """Validation scores of every family at 0.5, then the winner's best cut-off."""
    table = {}
    for o in outcomes:
        table[o.name] = compute_scores(parts.y_val, late_probability(o.model, parts.X_val),
                                       DEFAULT_CUTOFF)
        print_scores(f"val {o.name} @0.5", table[o.name])

    cutoff, val_f1 = best_cutoff(
        parts.y_val, late_probability(winner.model, parts.X_val), opts.search.cutoffs
    )
    log.info("chosen cut-off %.2f -> validation f1 %.3f", cutoff, val_f1)
    return table, cutoff, val_f1


def final_test(winner: SearchOutcome, parts: Partitions, cutoff: float) -> dict[str, Any]:
    p = late_probability(winner.model, parts.X_test)
    at_cutoff = compute_scores(parts.y_test, p, cutoff)
    at_half = compute_scores(parts.y_test, p, DEFAULT_CUTOFF)
    print_scores(f"test {winner.name} @cut-off", at_cutoff)
    print_scores(f"test {winner.name} @0.5", at_half)

    pos = float(parts.y_test.mean())
    trivial = 2 * pos / (1 + pos)  # F1 of flagging everything as late
    log.info("all-late baseline f1 (test): %.3f", trivial)
    return {"test": at_cutoff, "test_half": at_half, "test_all_late_f1": round(trivial, 4)}


def predict_unseen(model: Pipeline, cutoff: float, opts: RunSettings) -> dict[str, Any]:
    src = opts.inputs
    preds = score_frame(
        model, load_unlabelled(src.unlabelled_db, src.table_name), cutoff, opts.limits,
        src.key_column,
    )
    save_csv(preds, opts.artefacts.predictions_file)
    return {"holdout_rows": len(preds), "holdout_late_share": round(float(preds["late"].mean()), 4)}


def dump_json(obj: dict[str, Any], target: Path) -> None:
    target.write_text(json.dumps(obj, indent=2), encoding="utf-8")
    log.info("report saved: %s", target)


def execute(opts: RunSettings, do_holdout: bool = True) -> dict[str, Any]:
    t0 = time.perf_counter()
    ensure_files(opts, with_holdout=do_holdout)
    X, y = build_training_matrix(opts)
    parts = partition_rows(X, y, opts.partition)

    outcomes = [
        search_one(spec, parts.X_fit, parts.y_fit, opts.partition, opts.search)
        for spec in assemble_specs(opts.candidates, opts.partition.random_state)
    ]
    winner = pick_winner(outcomes)
    log.info("winner: %s (cv f1 %.3f)", winner.name, winner.cv_mean)

    val_table, cutoff, val_f1 = compare_on_validation(outcomes, winner, parts, opts)

    report: dict[str, Any] = {
        "sizes": parts.counts(),
        "search": {o.name: o.as_dict() for o in outcomes},
        "validation_half": val_table,
        "winner": winner.name,
        "cutoff": cutoff,
        "validation_f1_at_cutoff": round(val_f1, 4),
        **final_test(winner, parts, cutoff),
    }

    art = opts.artefacts
    art.folder.mkdir(parents=True, exist_ok=True)
    final = refit_full(winner, X, y)
    joblib.dump({"model": final, "cutoff": cutoff}, art.model_file)
    log.info("model stored in %s", art.model_file)

    if False:  # kept for quick debugging of the refit
        report["refit_classes"] = list(final.classes_)

    if do_holdout:
        report.update(predict_unseen(final, cutoff, opts))

    report["seconds"] = round(time.perf_counter() - t0, 1)
    dump_json(report, art.report_file)
    log.info("done after %.1f s", report["seconds"])
    return report


def entry(argv: list[str] | None = None) -> int:
    ns = read_cli(argv)
    logging.basicConfig(
        level=ns.verbosity,
        format="[%(levelname)s] %(name)s - %(message)s",
        stream=sys.stdout,
    )
    try:
        execute(merge_cli(read_settings(ns.config), ns), do_holdout=not ns.skip_holdout)
    except (FileNotFoundError, SettingsProblem, BadInputData) as err:
        log.error("%s", err)
        return 1
    except sqlite3.DatabaseError as err:
        log.error("database unreadable: %s", err)
        return 1
    except (ValueError, OSError) as err:
        log.error("run aborted (%s): %s", type(err).__name__, err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(entry())
