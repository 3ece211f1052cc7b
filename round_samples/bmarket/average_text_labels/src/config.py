"""Settings for the bank marketing pipeline.

Edit the values here, or override some of them with environment variables
(e.g. TEST_SIZE=0.25 bash run.sh).
"""
import os

# paths (relative to the submission root, where run.sh is run from)
DB_PATH = os.environ.get("DB_PATH", "data/bmarket.db")
HOLDOUT_PATH = os.environ.get("HOLDOUT_PATH", "data/holdout.db")
TABLE_NAME = "bank_marketing"
OUTPUT_DIR = os.environ.get("OUTPUT_DIR", "output")

TARGET = "Subscription Status"
ID_COL = "Client ID"

# train / test split
TEST_SIZE = float(os.environ.get("TEST_SIZE", 0.2))
RANDOM_STATE = int(os.environ.get("RANDOM_STATE", 42))

# columns
NUM_COLS = ["Age", "Campaign Calls", "Previous Contact Days"]
CAT_COLS = [
    "Occupation",
    "Marital Status",
    "Education Level",
    "Credit Default",
    "Housing Loan",
    "Personal Loan",
    "Contact Method",
    "Age Group",
]

# model parameters
LOGREG_PARAMS = {
    "C": 1.0,
    "max_iter": 1000,
    "class_weight": "balanced",
}

# max_depth picked by hand: I tried 5, 8, 10 and 15. 15 had a slightly higher F1
# but the trees get very deep and overfit, so I kept 10
RF_PARAMS = {
    "n_estimators": 200,
    "max_depth": int(os.environ.get("RF_MAX_DEPTH", 10)),
    "min_samples_leaf": 5,
    "class_weight": "balanced",
    "n_jobs": -1,
}

# which metric is used to pick the final model
SELECTION_METRIC = "f1"
