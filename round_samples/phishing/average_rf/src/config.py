"""Reads config.ini (path can be changed with the PIPELINE_CONFIG env var)."""
import configparser
import os

CONFIG_PATH = os.environ.get("PIPELINE_CONFIG", "config.ini")


def _parse_list(text, cast):
    """Turn '1, 2, None' into [1, 2, None]."""
    values = []
    for item in text.split(","):
        item = item.strip()
        values.append(None if item == "None" else cast(item))
    return values


def load_config(path=CONFIG_PATH):
    """Load the settings into a plain dict."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"Config file {path} not found")
    parser = configparser.ConfigParser()
    parser.read(path)
    cfg = {
        "db_path": parser.get("data", "db_path"),
        "table": parser.get("data", "table"),
        "holdout_path": parser.get("data", "holdout_path"),
        "target": parser.get("data", "target"),
        "id_column": parser.get("data", "id_column"),
        "output_dir": parser.get("data", "output_dir"),
        "test_size": parser.getfloat("split", "test_size"),
        "random_state": parser.getint("split", "random_state"),
        "cv_folds": parser.getint("split", "cv_folds"),
        "selection_metric": parser.get("model", "selection_metric"),
        "lr_C": _parse_list(parser.get("model", "lr_C"), float),
        "rf_n_estimators": _parse_list(parser.get("model", "rf_n_estimators"), int),
        "rf_max_depth": _parse_list(parser.get("model", "rf_max_depth"), int),
    }
    return cfg
