"""Load the YAML config and apply command-line overrides."""
import argparse
from pathlib import Path

import yaml


def parse_args(argv=None):
    """Command-line options; anything not given falls back to config.yaml."""
    parser = argparse.ArgumentParser(description="Activity level classification pipeline")
    parser.add_argument("--config", default="config.yaml", help="path to the YAML config")
    parser.add_argument("--train-path", help="SQLite file with labelled data")
    parser.add_argument("--holdout-path", help="SQLite file to predict (optional)")
    parser.add_argument("--test-size", type=float, help="share of sessions used as test set")
    parser.add_argument("--cv-folds", type=int, help="number of grouped CV folds")
    parser.add_argument("--random-state", type=int)
    parser.add_argument("--n-jobs", type=int, help="cores used by the grid search")
    parser.add_argument("--models", nargs="+", help="models to compare, e.g. random_forest")
    return parser.parse_args(argv)


def load_config(args):
    path = Path(args.config)
    if not path.exists():
        raise FileNotFoundError(f"Config file not found: {path}")
    with open(path) as f:
        cfg = yaml.safe_load(f)

    overrides = {
        ("data", "train_path"): args.train_path,
        ("data", "holdout_path"): args.holdout_path,
        ("split", "test_size"): args.test_size,
        ("split", "cv_folds"): args.cv_folds,
        ("split", "random_state"): args.random_state,
        ("training", "n_jobs"): args.n_jobs,
        ("training", "models"): args.models,
    }
    for (section, key), value in overrides.items():
        if value is not None:
            cfg[section][key] = value

    if not 0 < cfg["split"]["test_size"] < 1:
        raise ValueError("test_size must be between 0 and 1")
    return cfg
