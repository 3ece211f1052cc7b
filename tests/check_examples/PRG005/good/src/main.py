"""Train the late-delivery model: the orchestrator run.sh calls."""

import logging

import pandas as pd

LOG = logging.getLogger(__name__)
DATA_PATH = "data/train.csv"


def load(path: str) -> pd.DataFrame:
    """Read the training rows."""
    return pd.read_csv(path)


def main() -> None:
    """Load the data and log its size."""
    LOG.info("%d rows", len(load(DATA_PATH)))


if __name__ == "__main__":
    main()
