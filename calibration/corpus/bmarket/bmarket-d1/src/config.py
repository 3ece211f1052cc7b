"""Load the yaml config + allow a couple of CLI overrides."""
import argparse
from pathlib import Path

import yaml


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="bank marketing subscription pipeline")
    p.add_argument("--config", default="config.yaml")
    p.add_argument("--no-smote", action="store_true", help="turn SMOTE off")
    p.add_argument("--no-ablation", action="store_true")
    p.add_argument("--fast", action="store_true", help="small searches, for debugging")
    return p.parse_args(argv)


def load_config(args):
    path = Path(args.config)
    if not path.exists():
        raise FileNotFoundError(f"config file not found: {path}")
    with open(path) as f:
        cfg = yaml.safe_load(f)
    if args.no_smote:
        cfg["resampling"]["smote"] = False
    if args.no_ablation:
        cfg["ablation"]["enabled"] = False
    if args.fast:
        for m in cfg["search"]["models"].values():
            m["n_iter"] = 3
    return cfg
