import os

# settings, can be changed with environment variables
DB_PATH = os.getenv("DB_PATH", "data/online_shopping.db")
HOLDOUT_PATH = os.getenv("HOLDOUT_PATH", "data/holdout.db")
TABLE = "online_shopping"
TARGET = "PurchaseCompleted"
ID_COL = "row_id"
TEST_SIZE = float(os.getenv("TEST_SIZE", "0.2"))
SEED = int(os.getenv("SEED", "42"))
TREE_DEPTH = int(os.getenv("TREE_DEPTH", "5"))
OUTPUT_DIR = os.getenv("OUTPUT_DIR", "output")
