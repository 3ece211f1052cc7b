# settings - can be changed with environment variables
import os

DB_PATH = os.getenv("DB_PATH", "data/deliveries.db")
HOLDOUT_PATH = os.getenv("HOLDOUT_PATH", "data/holdout.db")
MODEL_DIR = os.getenv("MODEL_DIR", "models")
OUTPUT_DIR = os.getenv("OUTPUT_DIR", "output")
TEST_SIZE = float(os.getenv("TEST_SIZE", "0.2"))
RANDOM_STATE = int(os.getenv("RANDOM_STATE", "42"))
N_ESTIMATORS_LIST = [int(x) for x in os.getenv("N_ESTIMATORS_LIST", "50,100,200").split(",")]
