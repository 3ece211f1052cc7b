"""Pipeline entry point: python -m src.main"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from .cleaners import (BooleanNormaliser, CleanerChain, ConstantImputer, DuplicateRemover, IQROutlierClipper,
                       MedianImputer, TextNormaliser, UnitWeightParser)
from .config import PipelineConfig, load_config
from .data_source import DataSourceFactory
from .evaluation import Evaluator
from .exceptions import LatePredError
from .feature_engineering import FeaturePipeline, FeaturePipelineBuilder
from .models import Trainer
from .validators import SchemaValidator

log = logging.getLogger("latepred")

TEXT_COLUMNS = ("region", "vehicle_type", "weather", "customer_tier")
NUMERIC_COLUMNS = ("distance_km", "parcel_weight_kg", "num_items", "driver_experience_yrs",
                   "driver_rating", "traffic_index", "express")


class PipelineRunner:
    """Coordinates load -> validate -> clean -> features -> train -> evaluate -> predict."""

    def __init__(self, config: PipelineConfig) -> None:
        self.config = config
        self.validator = SchemaValidator()
        self.cleaner = self._build_cleaner()
        self.features: FeaturePipeline = self._build_features()

    def _build_cleaner(self) -> CleanerChain:
        cfg = self.config.cleaning
        steps = [TextNormaliser(TEXT_COLUMNS), UnitWeightParser("parcel_weight", "parcel_weight_kg"),
                 BooleanNormaliser(["express"])]
        if cfg.drop_duplicates:
            steps.insert(0, DuplicateRemover())
        steps += [IQROutlierClipper(cfg.outlier_columns, cfg.iqr_multiplier),
                  MedianImputer(NUMERIC_COLUMNS), ConstantImputer(TEXT_COLUMNS)]
        return CleanerChain(steps)

    def _build_features(self) -> FeaturePipeline:
        cfg = self.config.features
        return (FeaturePipelineBuilder()
                .with_datetime(cfg.datetime_column)
                .with_encoder(cfg.categorical_encoder, TEXT_COLUMNS)
                .with_scaler(NUMERIC_COLUMNS, cfg.numeric_scaler)
                .build())

    def _load(self, path: str, with_target: bool) -> pd.DataFrame:
        data_cfg = self.config.data
        frame = DataSourceFactory.create(path, data_cfg.table).read()
        return self.validator.validate(frame, target=data_cfg.target if with_target else None)

    def run(self) -> None:
        data_cfg, train_cfg, out_cfg = self.config.data, self.config.training, self.config.output
        frame = self._load(data_cfg.db_path, with_target=True)
        frame = self.cleaner.fit_apply(frame)

        y = frame.pop(data_cfg.target).astype(int)
        ids = frame.pop(data_cfg.id_column)
        X = self.features.fit_transform(frame, y)
        log.info("feature matrix: %s", X.shape)

        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=train_cfg.test_size, stratify=y, random_state=train_cfg.random_state)

        trained = Trainer(train_cfg.models, train_cfg.random_state).fit_all(X_train, y_train)
        evaluator = Evaluator()
        reports = [evaluator.evaluate(m, X_test, y_test) for m in trained]
        best = evaluator.select_best(reports, train_cfg.primary_metric)
        log.info("best model by %s: %s", train_cfg.primary_metric, best.model)
        out_dir = Path(out_cfg.directory)
        Evaluator.save(reports, best.model, out_dir / out_cfg.metrics_file)

        model = next(m for m in trained if m.name == best.model)
        holdout_path = Path(data_cfg.holdout_path)
        if not holdout_path.exists():
            log.warning("holdout not found at %s, skipping prediction", holdout_path)
            return
        holdout = self._load(str(holdout_path), with_target=False)
        holdout = self.cleaner.apply(holdout, inference=True)
        holdout_ids = holdout.pop(data_cfg.id_column)
        X_holdout = self.features.transform(holdout)
        proba = model.estimator.predict_proba(X_holdout)[:, 1]
        predictions = pd.DataFrame({data_cfg.id_column: holdout_ids.to_numpy(),
                                    "late": (proba >= 0.5).astype(int), "late_proba": proba})
        out_dir.mkdir(parents=True, exist_ok=True)
        predictions.to_csv(out_dir / out_cfg.predictions_file, index=False)
        log.info("wrote %d predictions to %s", len(predictions), out_dir / out_cfg.predictions_file)


def main() -> int:
    logging.basicConfig(level=os.environ.get("LATEPRED_LOG_LEVEL", "INFO"),
                        format="%(asctime)s [%(levelname)s] %(name)s - %(message)s")
    try:
        config = load_config(os.environ.get("LATEPRED_CONFIG", "config.json"))
        PipelineRunner(config).run()
    except LatePredError as exc:
        log.error("%s: %s", type(exc).__name__, exc)
        return exc.exit_code
    except Exception:  # pragma: no cover - last resort
        log.exception("unexpected failure")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
