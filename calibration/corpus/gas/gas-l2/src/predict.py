"""Predict activity level for the holdout database."""
import os

import pandas as pd

from data_prep import clean_data, load_table, make_features


def predict_holdout(model, label_encoder, medians, config):
    """Clean + featurise holdout exactly like training data and write predictions.csv."""
    if not os.path.exists(config["holdout_path"]):
        print(f"no holdout db at {config['holdout_path']}, skipping predictions")
        return None
    df = load_table(config["holdout_path"], config["table"])
    df_clean, _ = clean_data(df, medians=medians)
    X = make_features(df_clean)
    pred = label_encoder.inverse_transform(model.predict(X))

    out = pd.DataFrame({config["id_col"]: df[config["id_col"]], config["target"]: pred})
    os.makedirs(config["output_dir"], exist_ok=True)
    path = os.path.join(config["output_dir"], "predictions.csv")
    out.to_csv(path, index=False)
    print(f"saved {len(out)} predictions to {path}")
    print(out[config["target"]].value_counts().to_string())
    return out
