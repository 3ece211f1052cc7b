"""Pipeline steps. Each step takes the RunContext and mutates it."""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

from .artifacts import ArtifactStore
from .io import read_sqlite
from .registry import CLEANERS, FEATURIZERS, METRICS, MODELS, STEPS

TARGET = "Activity Level"
DROP = ["Record ID", "Session ID", TARGET]
RAW_TEXT = ["Time of Day", "HVAC Operation Mode", "CO_GasSensor", "Ambient Light Level"]


def _apply_plugins(df, registry, names, settings):
    for name in names:
        df = registry.get(name)(df, settings)
    return df


def transform(df, settings):
    df = _apply_plugins(df.copy(), CLEANERS, settings["cleaners"], settings)
    df = _apply_plugins(df, FEATURIZERS, settings["featurizers"], settings)
    return df


def to_matrix(df):
    return df.drop(columns=[c for c in DROP + RAW_TEXT if c in df.columns])


@STEPS.register("ingest")
def ingest(ctx):
    p = ctx.settings.paths
    ctx.raw = read_sqlite(p["db_path"], p["table"])
    print(f"[ingest] {ctx.raw.shape}")


@STEPS.register("validate")
def validate(ctx):
    if ctx.raw is None or ctx.raw.empty:
        raise ValueError("no data ingested")
    if TARGET not in ctx.raw.columns:
        raise ValueError(f"target column {TARGET!r} missing")
    print(f"[validate] ok ({ctx.raw[TARGET].nunique()} raw target values)")


@STEPS.register("clean")
def clean(ctx):
    ctx.clean = _apply_plugins(ctx.raw.copy(), CLEANERS, ctx.settings["cleaners"], ctx.settings)
    print(f"[clean] target classes: {sorted(ctx.clean[TARGET].unique())}")


@STEPS.register("featurize")
def featurize(ctx):
    df = _apply_plugins(ctx.clean.copy(), FEATURIZERS, ctx.settings["featurizers"], ctx.settings)
    ctx.y = df[TARGET]
    ctx.X = to_matrix(df)
    ctx.feature_columns = list(ctx.X.columns)
    print(f"[featurize] X={ctx.X.shape}")


@STEPS.register("split")
def split(ctx):
    cfg = ctx.settings["split"]
    le = LabelEncoder().fit(ctx.y)
    y = pd.Series(le.transform(ctx.y), index=ctx.y.index)
    X_tr, X_te, y_tr, y_te = train_test_split(ctx.X, y, test_size=cfg["test_size"],
                                              random_state=cfg["seed"], stratify=y)
    ctx.splits = {"X_train": X_tr, "X_test": X_te, "y_train": y_tr, "y_test": y_te, "encoder": le}
    print(f"[split] train={len(X_tr)} test={len(X_te)}")


@STEPS.register("train")
def train(ctx):
    store = ArtifactStore(ctx.settings.paths["artifact_dir"])
    ctx.artifacts["store"] = store
    for name, params in ctx.settings["models"].items():
        model = MODELS.get(name)(params or {})
        model.fit(ctx.splits["X_train"], ctx.splits["y_train"])
        ctx.models[name] = model
        ctx.artifacts[name] = store.save_model(name, model)
        print(f"[train] {name} done")


@STEPS.register("evaluate")
def evaluate(ctx):
    X_te, y_te = ctx.splits["X_test"], ctx.splits["y_test"]
    for name, model in ctx.models.items():
        pred = model.predict(X_te)
        ctx.scores[name] = {m: round(METRICS.get(m)(y_te, pred), 4) for m in METRICS.names()}
    table = pd.DataFrame(ctx.scores).T
    print("[evaluate]\n" + table.to_string())
    metric = ctx.settings["selection_metric"]
    ctx.best_model = max(ctx.scores, key=lambda n: ctx.scores[n][metric])
    print(f"[evaluate] best model by {metric}: {ctx.best_model}")
    ctx.artifacts["store"].save_json("scores", ctx.scores)


@STEPS.register("predict")
def predict(ctx):
    p = ctx.settings.paths
    holdout = read_sqlite(p["holdout_path"], p["table"])
    X = to_matrix(transform(holdout, ctx.settings))[ctx.feature_columns]
    model = ctx.models[ctx.best_model]
    labels = ctx.splits["encoder"].inverse_transform(model.predict(X))
    out = pd.DataFrame({"Record ID": holdout["Record ID"], TARGET: labels})
    out_path = f"{p['output_dir']}/predictions.csv"
    out.to_csv(out_path, index=False)
    print(f"[predict] wrote {len(out)} rows -> {out_path}")
