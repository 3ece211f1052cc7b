"""AdaBoost vs a pruned decision tree, compared with repeated cross-validation."""
import csv
import json
import os
import sys
from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import AdaBoostClassifier
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
from sklearn.tree import DecisionTreeClassifier

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
import etl  # noqa: E402


@dataclass(frozen=True)
class Settings:
    train_path: str = "data/deliveries.db"
    holdout_path: str = "data/holdout.db"
    output_path: str = "output/predictions.csv"
    repeats: int = 2
    folds: int = 5
    tree_depth: int = 6
    boosting_rounds: int = 200
    seed: int = 5

    @classmethod
    def from_argv(cls, argv):
        overrides = {}
        for item in argv:
            key, _, value = item.partition("=")
            default = getattr(cls, key)
            overrides[key] = type(default)(value)
        return cls(**overrides)


def contenders(s: Settings):
    return {
        "decision_tree": DecisionTreeClassifier(max_depth=s.tree_depth, min_samples_leaf=20,
                                                class_weight="balanced", random_state=s.seed),
        "adaboost": AdaBoostClassifier(n_estimators=s.boosting_rounds, learning_rate=0.5, random_state=s.seed),
    }


def main(argv):
    s = Settings.from_argv(argv)
    batch, fill = etl.to_batch(etl.fetch(s.train_path, labelled=True), labelled=True)
    cv = RepeatedStratifiedKFold(n_splits=s.folds, n_repeats=s.repeats, random_state=s.seed)
    summary = {}
    for name, clf in contenders(s).items():
        res = cross_validate(clf, batch.X, batch.y, cv=cv, scoring=["f1", "roc_auc", "precision", "recall"])
        summary[name] = {m: round(float(np.mean(res[f"test_{m}"])), 4)
                         for m in ("f1", "roc_auc", "precision", "recall")}
    print(json.dumps(summary, indent=2))
    winner = max(summary, key=lambda n: summary[n]["f1"])
    clf = contenders(s)[winner].fit(batch.X, batch.y)
    if not os.path.isfile(s.holdout_path):
        return 0
    hold, _ = etl.to_batch(etl.fetch(s.holdout_path, labelled=False), labelled=False, fill=fill)
    proba = clf.predict_proba(hold.X)[:, 1]
    os.makedirs(os.path.dirname(s.output_path), exist_ok=True)
    with open(s.output_path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["delivery_id", "late", "late_proba"])
        for ident, p in zip(hold.ids, proba):
            writer.writerow([ident, int(p >= 0.5), f"{p:.4f}"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
