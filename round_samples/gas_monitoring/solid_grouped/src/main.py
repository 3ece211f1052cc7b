"""Entry point: load -> clean -> features -> grouped split -> tune -> evaluate -> predict."""
import logging
import sys
from pathlib import Path

import joblib
import pandas as pd
from sklearn.base import clone

from src.config import load_config, parse_args
from src.data_loader import DataValidationError, load_table
from src.evaluate import baseline_scores, evaluate
from src.features import add_features, build_preprocessor, feature_columns, to_model_frame
from src.models import grouped_train_test_split, tune_models
from src.predict import predict_holdout
from src.preprocessing import clean

logger = logging.getLogger("pipeline")


def check_enough_data(df, target, group_col, cfg):
    """Stop early if there are too few sessions or a class is missing."""
    n_groups = df[group_col].nunique()
    needed = max(cfg["split"]["cv_folds"], round(1 / cfg["split"]["test_size"])) + 1
    if n_groups < needed:
        raise DataValidationError(
            f"Only {n_groups} sessions in the data; need at least {needed} for the grouped split and CV")
    n_classes = df[target].nunique()
    if n_classes < 2:
        raise DataValidationError(f"Target has {n_classes} class after cleaning; cannot train")


def run(cfg):
    data_cfg = cfg["data"]
    target, group_col = data_cfg["target"], data_cfg["group_column"]

    # 1. load and clean
    raw = load_table(data_cfg["train_path"], data_cfg["table"], required_extra=[target])
    df = clean(raw, target=target, id_column=data_cfg["id_column"], drop_duplicates=True)
    df = add_features(df)
    check_enough_data(df, target, group_col, cfg)
    print("Class distribution after cleaning:")
    print(df[target].value_counts(normalize=True).round(3).to_string(), "\n")

    # 2. grouped split (sessions never shared between train and test)
    train_df, test_df = grouped_train_test_split(
        df, target, group_col, cfg["split"]["test_size"], cfg["split"]["random_state"])
    logger.info("Train: %d rows / %d sessions, test: %d rows / %d sessions",
                len(train_df), train_df[group_col].nunique(), len(test_df), test_df[group_col].nunique())

    numeric, categorical = feature_columns(cfg["features"]["drop_columns"])
    X_train = to_model_frame(train_df, numeric, categorical)
    X_test = to_model_frame(test_df, numeric, categorical)
    y_train, y_test = train_df[target], test_df[target]

    # 3. model comparison with grouped CV on the training sessions only
    preprocessor = build_preprocessor(numeric, categorical)
    searches, summary, grid_results = tune_models(X_train, y_train, train_df[group_col], preprocessor, cfg)
    print("All grid points (grouped CV):")
    print(grid_results.round(3).to_string(index=False), "\n")
    print("Model comparison (grouped CV on training sessions, scoring = %s):" % cfg["training"]["scoring"])
    with pd.option_context("display.max_colwidth", 80, "display.width", 160):
        print(summary.round(3).to_string(index=False), "\n")

    best_name = summary.loc[0, "model"]
    best_model = searches[best_name].best_estimator_
    print(f"Selected model: {best_name}\n")

    # 4. one evaluation on the untouched test sessions
    print("=== Test set evaluation (held-out sessions) ===")
    results = evaluate(best_model, X_test, y_test)
    baseline = baseline_scores(X_train, y_train, X_test, y_test)
    print(f"Majority-class baseline: macro F1 {baseline['macro_f1']:.3f}, "
          f"balanced accuracy {baseline['balanced_accuracy']:.3f}\n")

    # 5. refit the chosen configuration on all labelled data and save it
    final_model = best_model
    if cfg["training"].get("refit_on_all_data", True):
        X_all = to_model_frame(df, numeric, categorical)
        final_model = clone(best_model).fit(X_all, df[target])
        logger.info("Refitted %s on all %d labelled rows", best_name, len(df))
    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(final_model, out_dir / "model.joblib")
    summary.to_csv(out_dir / "model_comparison.csv", index=False)
    grid_results.to_csv(out_dir / "cv_results.csv", index=False)

    # 6. holdout predictions (only if data/holdout.db is present)
    predict_holdout(final_model, cfg, numeric, categorical)
    return results


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        cfg = load_config(args)
        run(cfg)
    except (FileNotFoundError, DataValidationError, ValueError) as err:
        logger.error("Pipeline stopped: %s", err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
