"""Entry point. Usage: python -m src.pipeline [--models rf xgb logreg] [--test-size 0.2] ..."""
import argparse
import sys

from sklearn.model_selection import train_test_split

from src.evaluate import report
from src.ingest import TARGET, load
from src.predict import predict_holdout
from src.preprocess import add_features, clean, drop_duplicates, get_xy
from src.train import build, cv_score, tune_rf


def parse_args():
    p = argparse.ArgumentParser(description="Activity level classifier")
    p.add_argument("--db", default="data/gas_monitoring.db")
    p.add_argument("--holdout", default="data/holdout.db")
    p.add_argument("--out", default="output/predictions.csv")
    p.add_argument("--models", nargs="+", default=["logreg", "rf", "xgb"])
    p.add_argument("--test-size", type=float, default=0.2)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--no-tune", action="store_true", help="skip the random forest grid search")
    return p.parse_args()


def main():
    args = parse_args()

    df = load(args.db)
    print(f"loaded {len(df)} rows")
    df = drop_duplicates(add_features(clean(df)))
    print(f"after dedup {len(df)} rows")
    print(df[TARGET].value_counts().to_string())

    X, y = get_xy(df)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=args.test_size, stratify=y, random_state=args.seed)

    # compare models with CV on the training part
    scores = {}
    models = {}
    for name in args.models:
        pipe = build(name, args.seed)
        m, s = cv_score(pipe, X_tr, y_tr, args.folds, args.seed)
        print(f"  {name:7s} cv f1_macro {m:.4f} +/- {s:.4f}")
        scores[name] = m
        models[name] = pipe

    if "rf" in args.models and not args.no_tune:
        models["rf"], scores["rf"] = tune_rf(X_tr, y_tr, args.seed)

    best = max(scores, key=scores.get)
    print(f"best model: {best} (cv f1_macro {scores[best]:.4f})")
    final = models[best].fit(X_tr, y_tr)

    report(final, X_te, y_te)
    predict_holdout(final, args.holdout, args.out)


if __name__ == "__main__":
    try:
        main()
    except (FileNotFoundError, ValueError) as e:
        print(f"ERROR: {e}")
        sys.exit(1)
