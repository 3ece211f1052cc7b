"""Entry point: python -m src.main --config config.yaml"""
import json
import logging
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .cleaning import clean, encode_target
from .config import load_config, parse_args
from .data import load_table
from .evaluate import baselines, best_threshold, evaluate
from .train import ablation, run_searches

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("bmarket")


def main(argv=None):
    t_start = time.time()
    args = parse_args(argv)
    cfg = load_config(args)
    dcfg = cfg["data"]
    out = Path(cfg["output_dir"])
    out.mkdir(parents=True, exist_ok=True)

    raw = load_table(dcfg["db_path"], dcfg["table"], require_target=dcfg["target"])
    df = clean(raw)
    y = encode_target(df[dcfg["target"]])
    X = df.drop(columns=[dcfg["target"], dcfg["id_col"]])
    log.info("target rate: %.3f", y.mean())

    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=cfg["split"]["test_size"],
                                              stratify=y, random_state=cfg["seed"])
    log.info("train %d / test %d", len(X_tr), len(X_te))

    searches, table = run_searches(X_tr, y_tr, cfg)
    print("\n=== CV results (train split, scoring = average precision) ===")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    table.to_csv(out / "cv_results.csv", index=False)

    best_name = table.iloc[0]["model"]
    best = searches[best_name]
    log.info("selected model: %s", best_name)

    if cfg["ablation"]["enabled"]:
        abl_name = cfg["ablation"]["model"]
        abl = ablation(X_tr, y_tr, cfg, searches[abl_name].best_params_)
        print(f"\n=== Feature ablation ({abl_name}, tuned params, CV on train) ===")
        print(abl.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
        abl.to_csv(out / "ablation.csv", index=False)

    thr, oof_f1 = best_threshold(best.best_estimator_, X_tr, y_tr, cfg)
    log.info("threshold from OOF: %.3f (OOF F1 %.4f)", thr, oof_f1)

    model = best.best_estimator_  # already refit on the whole train split
    proba_te = model.predict_proba(X_te)[:, 1]
    metrics, cm, report = evaluate(y_te.to_numpy(), proba_te, thr)
    base = baselines(y_te.to_numpy())
    print(f"\n=== Final model ({best_name}) on held-out test split ===")
    for k, v in metrics.items():
        print(f"  {k:15s} {v:.4f}")
    print("  confusion matrix [[TN FP] [FN TP]]:", cm.tolist())
    print(report)
    print("  baselines:", {k: round(v, 4) for k, v in base.items()})
    with open(out / "metrics.json", "w") as f:
        json.dump({"model": best_name, "test": metrics, "baselines": base,
                   "best_params": {k: (v if isinstance(v, (int, float, str)) or v is None else str(v))
                                   for k, v in best.best_params_.items()}}, f, indent=2, default=float)
    joblib.dump({"model": model, "threshold": thr}, out / "model.joblib")

    # predictions on holdout
    hpath = Path(dcfg["holdout_path"])
    if hpath.exists():
        hold_raw = load_table(hpath, dcfg["table"])
        hold = clean(hold_raw)
        Xh = hold.drop(columns=[c for c in [dcfg["target"], dcfg["id_col"]] if c in hold.columns])
        ph = model.predict_proba(Xh[X.columns])[:, 1]
        pred = pd.DataFrame({
            dcfg["id_col"]: hold_raw[dcfg["id_col"]].values,
            dcfg["target"]: np.where(ph >= thr, "yes", "no"),
            f"{dcfg['target']}_proba": ph.round(5),
        })
        pred.to_csv(out / "predictions.csv", index=False)
        log.info("wrote %d predictions to %s (%.1f%% yes)", len(pred), out / "predictions.csv",
                 100 * (pred[dcfg["target"]] == "yes").mean())
    else:
        log.warning("no holdout db at %s, skipping predictions", hpath)
    log.info("done in %.1f s", time.time() - t_start)


if __name__ == "__main__":
    try:
        main()
    except (FileNotFoundError, ValueError, KeyError) as e:
        log.error("pipeline failed: %s", e)
        sys.exit(1)
