"""Entry point: validate -> clean -> split -> grouped search -> evaluate -> predict.

Run with `python -m src.pipeline --config config.toml [--set section.key=value ...]`.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GroupShuffleSplit

from .cleaning import drop_duplicate_records, fix_sensor_values, normalise_categories, normalise_target
from .config import ConfigError, load_config
from .data_io import DataSourceError, read_table, write_json
from .features import add_derived_features, feature_columns
from .modelling import evaluate, model_registry, search_family, summarise_search
from .validation import SchemaError, validate_frame

logger = logging.getLogger("pipeline")


def prepare_features(frame: pd.DataFrame, cfg: dict[str, Any], source: str, extra: list[str]) -> pd.DataFrame:
    """Shared validation + cleaning + derived features for training and inference data."""
    clean_cfg = cfg["cleaning"]
    frame = validate_frame(frame, source, clean_cfg["max_bad_cell_fraction"], extra_columns=extra)
    frame = fix_sensor_values(
        frame, clean_cfg["kelvin_threshold"], tuple(clean_cfg["humidity_range"]), clean_cfg["min_co2"]
    )
    frame = normalise_categories(frame)
    return add_derived_features(frame)


def load_training_data(cfg: dict[str, Any]) -> pd.DataFrame:
    """Read, validate and clean the labelled table."""
    cols = cfg["columns"]
    raw = read_table(cfg["paths"]["database"], cfg["paths"]["table"])
    frame = prepare_features(raw, cfg, "training", [cols["target"], cols["id"], cols["group"]])
    frame[cols["target"]] = normalise_target(frame[cols["target"]])
    frame = frame.dropna(subset=[cols["target"]])
    frame = drop_duplicate_records(frame, cols["id"])
    if len(frame) < 50:
        raise SchemaError(f"training: only {len(frame)} usable labelled rows")
    dist = frame[cols["target"]].value_counts(normalize=True).round(3).to_dict()
    logger.info("Training rows: %d, class shares: %s", len(frame), dist)
    return frame


def run(cfg: dict[str, Any]) -> None:
    """Execute the full pipeline with a parsed configuration."""
    cols, paths, train_cfg = cfg["columns"], cfg["paths"], cfg["training"]
    seed = cfg["split"]["seed"]
    out_dir = Path(paths["output_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)

    data = load_training_data(cfg)
    features = feature_columns()

    splitter = GroupShuffleSplit(n_splits=1, test_size=cfg["split"]["test_size"], random_state=seed)
    train_idx, test_idx = next(splitter.split(data, groups=data[cols["group"]]))
    train, test = data.iloc[train_idx], data.iloc[test_idx]
    logger.info(
        "Grouped split: train %d rows / %d sessions, test %d rows / %d sessions",
        len(train), train[cols["group"]].nunique(), len(test), test[cols["group"]].nunique(),
    )

    registry = model_registry(seed)
    unknown = set(train_cfg["families"]) - set(registry)
    if unknown:
        raise ConfigError(f"Unknown model families in config: {sorted(unknown)}")

    searches, summary = {}, []
    for name in train_cfg["families"]:
        search = search_family(
            registry[name], cfg["search"][name], train[features], train[cols["target"]], train[cols["group"]],
            train_cfg["cv_folds"], train_cfg["n_iter"], train_cfg["scoring"], seed,
        )
        searches[name] = search
        summary.append(summarise_search(name, search))

    table = pd.DataFrame(summary).sort_values("cv_mean", ascending=False)
    table.to_csv(out_dir / "cv_results.csv", index=False)
    logger.info("CV summary:\n%s", table[["family", "cv_mean", "cv_std", "train_mean"]].to_string(index=False))

    best_name = table.iloc[0]["family"]
    best_model = searches[best_name].best_estimator_
    metrics = evaluate(best_model, test[features], test[cols["target"]])
    logger.info("Selected %s on CV; test macro F1 %.3f, balanced acc %.3f, accuracy %.3f",
                best_name, metrics["macro_f1"], metrics["balanced_accuracy"], metrics["accuracy"])
    print(f"\nFinal model: {best_name} — evaluation on held-out sessions\n{metrics['report']}")
    print("Confusion matrix (rows true, cols predicted; Low/Moderate/High):")
    for row in metrics["confusion_matrix"]:
        print("  ", row)
    write_json({"model": best_name, "cv": summary, "test": {k: v for k, v in metrics.items() if k != "report"}},
               out_dir / "metrics.json")

    final_model = best_model
    if train_cfg["refit_on_full_data"]:
        final_model = clone(best_model).fit(data[features], data[cols["target"]])
        logger.info("Refitted %s on all %d labelled rows", best_name, len(data))
    joblib.dump(final_model, out_dir / "model.joblib")

    predict_holdout(final_model, cfg, out_dir)


def predict_holdout(model: Any, cfg: dict[str, Any], out_dir: Path) -> None:
    """Score data/holdout.db and write output/predictions.csv."""
    cols, paths = cfg["columns"], cfg["paths"]
    holdout_path = Path(paths["holdout"])
    if not holdout_path.is_file():
        logger.warning("No holdout database at %s; skipping predictions", holdout_path)
        return
    raw = read_table(holdout_path, paths["table"])
    frame = prepare_features(raw, cfg, "holdout", [cols["id"]])
    predictions = pd.DataFrame({cols["id"]: raw[cols["id"]], cols["target"]: model.predict(frame[feature_columns()])})
    predictions.to_csv(out_dir / "predictions.csv", index=False)
    logger.info("Wrote %d predictions to %s: %s", len(predictions), out_dir / "predictions.csv",
                predictions[cols["target"]].value_counts().to_dict())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line interface."""
    parser = argparse.ArgumentParser(description="Train and apply the activity-level classifier.")
    parser.add_argument("--config", default="config.toml", help="path to the TOML config")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override a config value (repeatable)")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Top-level handler: one-line error message and a non-zero exit code on failure."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    started = time.perf_counter()
    try:
        run(load_config(args.config, args.overrides))
    except (ConfigError, DataSourceError, SchemaError) as exc:
        logger.error("%s: %s", type(exc).__name__, exc)
        return 2
    except Exception as exc:  # unexpected: keep the traceback in the log for debugging
        logger.exception("Pipeline failed: %s", exc)
        return 1
    logger.info("Finished in %.1f s", time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
