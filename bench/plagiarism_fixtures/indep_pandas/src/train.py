"""HistGradientBoosting vs ExtraTrees; settings come from environment variables."""
import os
from pathlib import Path

import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import cross_val_predict

from prepare import add_interactions, encode, impute, query, tidy, training_table

SEED = int(os.getenv("RANDOM_STATE", "21"))
FOLDS = int(os.getenv("CV_FOLDS", "5"))


def models() -> dict:
    return {
        "hgb": HistGradientBoostingClassifier(max_iter=int(os.getenv("HGB_ITER", "300")), learning_rate=0.06,
                                              class_weight="balanced", random_state=SEED),
        "extra_trees": ExtraTreesClassifier(n_estimators=int(os.getenv("ET_TREES", "400")), min_samples_leaf=4,
                                            class_weight="balanced", n_jobs=1, random_state=SEED),
    }


def main() -> None:
    table = training_table()
    base = impute(table)
    X = encode(base.drop(columns=["delivery_id", "late"]))
    y = base["late"].astype(int)

    report = []
    for name, model in models().items():
        proba = cross_val_predict(model, X, y, cv=FOLDS, method="predict_proba")[:, 1]
        report.append({"model": name, "f1": f1_score(y, proba > 0.5), "roc_auc": roc_auc_score(y, proba),
                       "pr_auc": average_precision_score(y, proba)})
    summary = pd.DataFrame(report).set_index("model").sort_values("f1", ascending=False)
    print(summary.round(4))
    chosen = summary.index[0]
    model = models()[chosen].fit(X, y)

    hold_db = os.getenv("HOLDOUT_DB", "data/holdout.db")
    if not Path(hold_db).exists():
        print("holdout missing, nothing to predict")
        return
    hold = query(hold_db).pipe(tidy).pipe(add_interactions)
    Xh = encode(impute(hold, reference=table).drop(columns=["delivery_id"]), columns=list(X.columns))
    Path("output").mkdir(exist_ok=True)
    (
        hold[["delivery_id"]]
        .assign(late_proba=model.predict_proba(Xh)[:, 1])
        .assign(late=lambda d: (d["late_proba"] > 0.5).astype(int))
        [["delivery_id", "late", "late_proba"]]
        .to_csv("output/predictions.csv", index=False)
    )


if __name__ == "__main__":
    main()
