"""
Main entry point for the ML pipeline.

Runs the full pipeline: load data -> preprocess -> train -> evaluate -> predict.
"""
import pandas as pd

from config import (DATA_PATH, LOG_LEVEL, N_ESTIMATORS, OUTPUT_DIR, RANDOM_STATE, TABLE_NAME,
                    TARGET_COLUMN, TEST_SIZE)
from data_loader import load_data
from evaluate import evaluate_model, print_metrics
from model import get_models, train_model
from preprocessing import clean_data, encode_categorical, scale_features, split_data
from utils import get_logger, save_predictions

logger = get_logger(__name__, LOG_LEVEL)


def create_sample_data() -> pd.DataFrame:
    """
    Create a small sample dataset for testing the pipeline.

    Returns:
        pd.DataFrame: Sample data.
    """
    data = {
        "Client ID": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        "Age": [25, 35, 45, 55, 65, 30, 40, 50, 60, 28],
        "Occupation": ["admin.", "technician", "blue-collar", "management", "retired",
                       "services", "admin.", "technician", "retired", "student"],
        "Campaign Calls": [1, 2, 3, 1, 2, 4, 1, 3, 2, 1],
        "Previous Contact Days": [999, 999, 5, 999, 3, 999, 999, 6, 999, 999],
        "Subscription Status": ["no", "no", "yes", "no", "yes", "no", "no", "yes", "no", "yes"],
    }
    return pd.DataFrame(data)


def main() -> None:
    """Run the pipeline."""
    logger.info("Starting pipeline...")

    # Step 1: Load data
    logger.info(f"Loading data from {DATA_PATH}")
    raw_df = load_data(DATA_PATH, TABLE_NAME)
    print(raw_df.head())
    print(f"Data shape: {raw_df.shape}")

    # Step 2: Preprocess
    df = create_sample_data()
    df = clean_data(df)
    df = encode_categorical(df, ["Occupation", TARGET_COLUMN])

    # Step 3: Split
    X_train, X_test, y_train, y_test = split_data(df, TARGET_COLUMN, TEST_SIZE, RANDOM_STATE)
    X_train, X_test = scale_features(X_train, X_test)

    # Step 4: Train and evaluate
    models = get_models(N_ESTIMATORS, RANDOM_STATE)
    results = {}
    for name, model in models.items():
        logger.info(f"Training {name}...")
        trained = train_model(model, X_train, y_train)
        metrics = evaluate_model(trained, X_test, y_test)
        print_metrics(name, metrics)
        results[name] = (trained, metrics)

    # Step 5: Select best model
    best_name = max(results, key=lambda k: results[k][1]["f1"])
    best_model = results[best_name][0]
    logger.info(f"Best model: {best_name}")

    # Step 6: Predict
    preds = best_model.predict(X_test)
    output = pd.DataFrame({"Client ID": X_test.index + 1, "Subscription Status": preds})
    output["Subscription Status"] = output["Subscription Status"].map({0: "no", 1: "yes"})
    save_predictions(output, OUTPUT_DIR)
    logger.info("Pipeline completed successfully!")


if __name__ == "__main__":
    main()
