"""
Configuration module.

Central place for all project settings. Values can be overridden with
environment variables.
"""
import os

# Paths
DATA_PATH: str = os.getenv("DATA_PATH", "data/bmarket.db")
TABLE_NAME: str = os.getenv("TABLE_NAME", "bank_marketing")
OUTPUT_DIR: str = os.getenv("OUTPUT_DIR", "output")

# Modelling
TARGET_COLUMN: str = "Subscription Status"
TEST_SIZE: float = float(os.getenv("TEST_SIZE", "0.3"))
RANDOM_STATE: int = int(os.getenv("RANDOM_STATE", "42"))
N_ESTIMATORS: int = int(os.getenv("N_ESTIMATORS", "100"))

# Logging
LOG_LEVEL: str = os.getenv("LOG_LEVEL", "INFO")
