"""
Utility functions.
"""
import logging
import os

import pandas as pd


def get_logger(name: str, level: str = "INFO") -> logging.Logger:
    """
    Create a logger.

    Args:
        name (str): Logger name.
        level (str): Logging level.

    Returns:
        logging.Logger: Configured logger.
    """
    logging.basicConfig(format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
    logger = logging.getLogger(name)
    logger.setLevel(level)
    return logger


def save_predictions(df: pd.DataFrame, output_dir: str, filename: str = "predictions.csv") -> None:
    """
    Save predictions to a CSV file.

    Args:
        df (pd.DataFrame): Predictions.
        output_dir (str): Output directory.
        filename (str): File name.
    """
    os.makedirs(output_dir, exist_ok=True)
    df.to_csv(os.path.join(output_dir, filename), index=False)
