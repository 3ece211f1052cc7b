"""Command-line entry point: ``python -m src.main --config config.yaml``."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from src.cleaning import clean_deliveries
from src.config import ConfigError, load_config
from src.data_loader import DataValidationError, load_table
from src.evaluate import baseline_always_late
from src.predict import write_predictions
from src.preprocessing import prepare_datasets, transform_new
from src.train import refit_on_all, train_candidates

logger = logging.getLogger("pipeline")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (everything else is set in the config file)."""
    parser = argparse.ArgumentParser(description="Late delivery prediction pipeline")
    parser.add_argument("--config", default="config.yaml", help="path of the YAML config")
    parser.add_argument("--no-predict", action="store_true",
                        help="train and evaluate only, do not score data/holdout.db")
    return parser.parse_args(argv)


def run(cfg: dict, predict: bool = True) -> None:
    """Run the pipeline: load, clean, prepare, train/select, report, predict the holdout."""
    data_cfg, out_cfg = cfg["data"], cfg["output"]
    out_dir = Path(out_cfg["dir"])

    raw = load_table(data_cfg["train_db"], data_cfg["table"], require_target=data_cfg["target"])
    clean = clean_deliveries(raw, cfg["cleaning"], drop_duplicates=True)
    data = prepare_datasets(clean, cfg)

    result = train_candidates(data, cfg)
    best = result.best
    report = {
        "best_model": best.name,
        "best_params": best.params,
        "threshold": best.threshold,
        "test_metrics": best.metrics,
        "baseline_always_late": baseline_always_late(data.y_test.to_numpy()),
        "candidates": [
            {"model": c.name, "params": c.params, "fit_seconds": round(c.fit_seconds, 2), **c.metrics}
            for c in result.candidates
        ],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / out_cfg["metrics"]).open("w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, default=float)
    logger.info("Test metrics of %s: %s", best.name,
                {k: round(v, 3) for k, v in best.metrics.items()})

    if not predict:
        return
    final_model = refit_on_all(best, data)
    holdout_raw = load_table(data_cfg["holdout_db"], data_cfg["table"])
    holdout = clean_deliveries(holdout_raw, cfg["cleaning"], drop_duplicates=False)
    X_holdout = transform_new(holdout, data.transformers)
    write_predictions(holdout[data_cfg["id_column"]], X_holdout, final_model, best.threshold,
                      out_dir / out_cfg["predictions"])


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        cfg = load_config(args.config)
        run(cfg, predict=not args.no_predict)
    except (ConfigError, FileNotFoundError, DataValidationError) as exc:
        logger.error("%s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
