"""Feature engineering + column transformer."""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

BASE_NUM = ["Age", "Campaign Calls", "Previous Contact Days"]
BASE_CAT = ["Occupation", "Marital Status", "Education Level", "Credit Default",
            "Housing Loan", "Personal Loan", "Contact Method"]


def add_features(df, age_bins, recent_days=7, many_calls=5):
    """Engineered features. Only uses values in the same row -> no leakage."""
    df = df.copy()
    never = df["Previous Contact Days"] == 999
    df["never_contacted"] = never.astype(int)
    # 999 is not a real number of days, use -1 for the model and keep the flag
    df["Previous Contact Days"] = df["Previous Contact Days"].where(~never, -1)
    df["recent_contact"] = ((~never) & (df["Previous Contact Days"] <= recent_days)).astype(int)
    df["log_calls"] = np.log1p(df["Campaign Calls"])
    df["many_calls"] = (df["Campaign Calls"] > many_calls).astype(int)
    df["age_band"] = pd.cut(df["Age"], bins=age_bins, right=True).astype(str)  # NaN age -> "nan" band
    df["age_missing"] = df["Age"].isna().astype(int)
    df["is_cell"] = (df["Contact Method"] == "cellular").astype(int)
    df["student_or_retired"] = df["Occupation"].isin(["student", "retired"]).astype(int)
    # interactions
    df["cell_x_prev"] = df["is_cell"] * (1 - df["never_contacted"])
    df["calls_x_never"] = df["log_calls"] * df["never_contacted"]
    df["young_single"] = ((df["Age"] < 30) & (df["Marital Status"] == "single")).astype(int)
    df["default_unknown"] = (df["Credit Default"] != "no").astype(int)
    return df


ENG_NUM = ["never_contacted", "recent_contact", "log_calls", "many_calls", "age_missing",
           "is_cell", "student_or_retired", "cell_x_prev", "calls_x_never", "default_unknown", "young_single"]
ENG_CAT = ["age_band"]


def feature_lists(engineered):
    if engineered:
        return BASE_NUM + ENG_NUM, BASE_CAT + ENG_CAT
    return BASE_NUM, BASE_CAT


def make_preprocessor(engineered, feat_cfg, scale=True):
    num, cat = feature_lists(engineered)
    num_pipe = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        num_pipe.append(("scale", StandardScaler()))
    ct = ColumnTransformer([
        ("num", Pipeline(num_pipe), num),
        ("cat", OneHotEncoder(handle_unknown="ignore", min_frequency=20, sparse_output=False), cat),
    ])
    steps = []
    if engineered:
        steps.append(("fe", FunctionTransformer(
            add_features,
            kw_args=dict(age_bins=feat_cfg["age_bins"], recent_days=feat_cfg["recent_contact_days"],
                         many_calls=feat_cfg["many_calls"]))))
    else:
        steps.append(("fe", FunctionTransformer(_raw_days)))
    steps.append(("ct", ct))
    return steps


def _raw_days(df):
    # baseline: still need to do something with 999 for the linear model, keep as is
    return df
