"""What the tracer's record of a run shows (sandbox/tools/aie_tracer.py): its data flow and the data it used.

Rows are matched through sampled hashes of the pandas index and of the row contents that the
tracer recorded at every top-level fit / transform / predict and at every train_test_split.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from checks.context import CheckContext
from sandbox.base import RunResult

OVERLAP = 0.5  # share of the test split's sampled rows that must appear for "these are the test rows"
EVALUATE = ("predict", "predict_proba", "decision_function", "score")
FIT = ("fit", "fit_transform", "fit_predict")
NAN_NATIVE = re.compile(r"HistGradientBoosting|XGB|LGBM|CatBoost|DecisionTree|RandomForest|ExtraTrees|Dummy")
BASELINES = re.compile(r"^Dummy")
DETERMINISTIC = re.compile(r"^(LogisticRegression|Ridge|Lasso|ElasticNet|LinearRegression|KNeighbors|GaussianNB|SVR|"
                           r"LinearSVC|Perceptron)")
# toy data (issue 14 item 4, marking guide 1.6): a model whose largest fit saw fewer rows than
# max(TOY_FLOOR, TOY_SHARE of the rows read from the provided database) did not learn from that database
TOY_FLOOR = 30
TOY_SHARE = 0.01
TOY_MIN_READ = 10 * TOY_FLOOR  # fewer rows read than this: the data itself is small, no toy verdict
REAL, TOY, UNVERIFIED = "real", "toy", "unverified"
MODEL_ROLES = ("model", "pipeline", "search")


@dataclass
class TraceFacts:
    """The data-flow facts a trace supports; every list entry is a sentence an assessor can check."""

    traced: bool = False
    processes: int = 0
    db_opened: list[str] = field(default_factory=list)
    provided_db_read: bool = False
    training_rows_read: int = 0
    uncaught: list[str] = field(default_factory=list)
    splits: list[dict] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    test_evaluations: list[str] = field(default_factory=list)
    test_models: int = 0
    test_selection: int = 0  # models compared on the test split with no validation split, search or CV
    searches: list[str] = field(default_factory=list)
    search_on_test: list[str] = field(default_factory=list)
    cross_validation: list[str] = field(default_factory=list)
    nan_at_fit: list[str] = field(default_factory=list)
    final_model: str = ""
    final_features: list[str] = field(default_factory=list)
    engineered_in_final: int = -1  # -1: the final model's feature names were not visible
    unseeded: list[str] = field(default_factory=list)
    model_fits: int = 0
    problems: list[str] = field(default_factory=list)


def _share(part: list | None, whole: list | None) -> float:
    """Share of `whole`'s sampled rows found in `part` (0 when either side was not sampled)."""
    if not part or not whole:
        return 0.0
    found = set(part)
    return sum(1 for h in whole if h in found) / len(whole)


def _touches(event: dict, split: dict, after_split: bool) -> bool:
    """Does this top-level call see most of the split's test rows?"""
    test_content, test_index = split.get("test_content"), split.get("test_index")
    if max(_share(event.get("content"), test_content), _share(event.get("out_content"), test_content)) >= OVERLAP:
        return True
    if _share(event.get("index"), test_index) >= OVERLAP:
        # an index re-numbered after the split (reset_index) collides with the test rows' labels; trust the
        # index only before the split or when the call saw more rows than the training part
        return not after_split or (event.get("rows") or 0) > (split.get("train_rows") or 0)
    return False


def _evaluates_on(event: dict, split: dict) -> bool:
    if _share(event.get("content"), split.get("test_content")) >= OVERLAP:
        return True
    if _share(event.get("index"), split.get("test_index")) >= OVERLAP:
        return True
    no_sample = not event.get("content") and not event.get("index")
    return no_sample and event.get("rows") == split.get("test_rows")


def _base_name(feature: str) -> str:
    return feature.split("__", 1)[1] if "__" in feature else feature


def engineered(features: list[str], raw_columns: tuple[str, ...]) -> list[str]:
    """The features that are neither a raw dataset column nor one of its encodings (by base name)."""
    raw = {c.lower() for c in raw_columns}
    out = []
    for feature in features:
        name = _base_name(feature).lower().removeprefix("missingindicator_")
        if name in raw or any(name.startswith(c + "_") for c in raw):
            continue
        out.append(_base_name(feature))
    return out


def trace_started(events: list[dict]) -> bool:
    """Did the tracer load into at least one process of the run?"""
    return any(e.get("ev") == "start" for e in events)


def _provided(event: dict, dataset_file: str) -> bool:
    """Is the event about the provided training database (not the held-out file, not a copy elsewhere)?"""
    return bool(event.get("provided")) and PurePosixPath(str(event.get("path"))).name == \
        PurePosixPath(dataset_file).name


def reads_provided_db(events: list[dict], dataset_file: str) -> bool:
    """Did the run read rows from the provided training database?"""
    return any(e.get("ev") == "db_read" and _provided(e, dataset_file) for e in events)


@dataclass
class DataUse:
    """Whether the training and evaluation stages used rows of the provided data (REAL, TOY or UNVERIFIED)."""

    verdict: str
    reason: str
    rows_read: int = 0
    threshold: int = 0
    largest_fit: int = 0
    largest_split: int = 0
    largest_evaluation: int = 0


def _rows(event: dict) -> int:
    return int(event.get("rows") or event.get("y_rows") or 0)


def _baseline(event: dict) -> bool:
    return bool(BASELINES.search(str(event.get("final_est") or event.get("est") or "")))


def _model_fits(events: list[dict]) -> list[dict]:
    """Every completed fit of a model, pipeline or search (any process, any depth), baselines aside."""
    return [e for e in events if e.get("ev") in FIT and e.get("role") in MODEL_ROLES and "error" not in e
            and not _baseline(e)]


def _evaluations(events: list[dict]) -> list[dict]:
    """The calls that score a model: predict / predict_proba / score, cross-validation helpers and searches."""
    scored = [e for e in events if e.get("ev") in EVALUATE and e.get("role") in MODEL_ROLES and "error" not in e
              and not _baseline(e)]
    return scored + [e for e in events if e.get("ev") == "cv" or (e.get("ev") in FIT and e.get("role") == "search")]


def rows_read(events: list[dict], dataset_file: str) -> int:
    """Rows one process fetched from the provided database (the largest count: several scripts may each read it)."""
    return max((int(e.get("rows") or 0) for e in events if e.get("ev") == "db_rows" and _provided(e, dataset_file)),
               default=0)


def _real_evaluation(evaluations: list[dict], splits: list[dict], threshold: int) -> bool:
    """Did an evaluation use real rows: enough of them, or most of the test side of a real-sized split?"""
    if any(_rows(e) >= threshold for e in evaluations):
        return True
    real_splits = [s for s in splits if _rows(s) >= threshold]
    return any(_evaluates_on(e, s) for e in evaluations for s in real_splits)


def data_use(events: list[dict], dataset_file: str, escaped: bool = False) -> DataUse:
    """Did the final model's training and its evaluation use rows of the provided database?

    TOY when rows were read from it but the largest model fit used fewer than max(TOY_FLOOR, TOY_SHARE of them),
    or the model trained on real rows was evaluated only on the test side of a split that small. Subsets, CV
    folds, aggregations and a tiny demo model beside a real fit stay REAL. UNVERIFIED when the trace cannot tell:
    no fit traced (an untraced library), no row count, too few rows read, or part of the run escaped the tracer.
    """
    name = PurePosixPath(dataset_file).name
    if not trace_started(events) or not reads_provided_db(events, dataset_file):
        return DataUse(UNVERIFIED, f"the trace does not show rows read from {name}")
    read = rows_read(events, dataset_file)
    if read == 0:
        return DataUse(UNVERIFIED, f"the trace holds no count of the rows read from {name}")
    use = DataUse(UNVERIFIED, "", rows_read=read, threshold=max(TOY_FLOOR, math.ceil(TOY_SHARE * read)))
    fits, evaluations = _model_fits(events), _evaluations(events)
    splits = [e for e in events if e.get("ev") == "split"]
    use.largest_fit = max((_rows(e) for e in fits), default=0)
    use.largest_split = max((_rows(e) for e in splits), default=0)
    use.largest_evaluation = max((_rows(e) for e in evaluations), default=0)
    if not fits:
        use.reason = "no model fit was traced (a library the tracer does not follow?)"
    elif read < TOY_MIN_READ:
        use.reason = f"only {read:,} rows were read from {name}: too few to tell toy data from a subset"
    elif use.largest_fit >= use.threshold:
        return _real_training(use, evaluations, splits, name, escaped)
    elif escaped:
        use.reason = (f"the traced model fits used at most {use.largest_fit:,} rows, but part of the run escaped "
                      "the tracer")
    else:
        split = f" (largest split: {use.largest_split:,} rows)" if splits else ""
        use.verdict = TOY
        use.reason = (f"trained and evaluated only on toy data: its largest model fit used {use.largest_fit:,} "
                      f"rows{split} after {read:,} rows were read from {name}, where a model of the provided data "
                      f"fits at least {use.threshold:,}")
    return use


def _real_training(use: DataUse, evaluations: list[dict], splits: list[dict], name: str, escaped: bool) -> DataUse:
    """The largest fit used real rows: the run is REAL unless its only evaluations were on a toy split."""
    trained = f"the largest model fit used {use.largest_fit:,} of the {use.rows_read:,} rows read from {name}"
    toy_splits = [s for s in splits if 0 < _rows(s) < use.threshold]
    if _real_evaluation(evaluations, splits, use.threshold):
        use.verdict, use.reason = REAL, trained + ", and it was evaluated on real rows"
    elif not evaluations:
        use.verdict, use.reason = REAL, trained + " (no traced evaluation: the evaluation's rows are unverified)"
    elif toy_splits and not escaped:
        smallest = min(_rows(s) for s in toy_splits)
        use.verdict = TOY
        use.reason = (f"evaluated only on toy data (its model trained on {use.largest_fit:,} rows of {name}): "
                      f"its evaluations used at most {use.largest_evaluation:,} rows, from a {smallest:,}-row "
                      f"split, fewer than {use.threshold:,} of the {use.rows_read:,} rows read")
    else:
        use.verdict, use.reason = REAL, (trained + f"; its traced evaluations used at most "
                                         f"{use.largest_evaluation:,} rows (the evaluation's rows are unverified)")
    return use


def run_data_use(run: RunResult | None, dataset_file: str) -> DataUse:
    """data_use() of a run's trace; a run that partly escaped the tracer is never called TOY."""
    if run is None or not run.trace:
        return DataUse(UNVERIFIED, "the run was not traced")
    return data_use(run.trace, dataset_file, escaped=bool(unverified_reasons(run)))


def run_facts(ctx: CheckContext) -> TraceFacts | None:
    """The facts of the evidence run's trace, analysed once per grading and shared by the checks that read it."""
    if ctx.run is None or ctx.run.trace is None:
        return None
    if "trace_facts" not in ctx.memo:
        ctx.memo["trace_facts"] = analyse_trace(ctx.run.trace, ctx.dataset_file, ctx.dataset_columns)
    return ctx.memo["trace_facts"]


def analyse_trace(events: list[dict], dataset_file: str,
                  raw_columns: tuple[str, ...] = ()) -> TraceFacts:
    """Turn the tracer's events into data-flow facts (pure: tests feed it synthetic events)."""
    facts = TraceFacts()
    facts.traced = trace_started(events)
    facts.processes = len({e.get("pid") for e in events if e.get("ev") == "start"})
    facts.provided_db_read = reads_provided_db(events, dataset_file)
    for e in events:
        _record_event(facts, e, dataset_file)
    top = _top_level(events)
    facts.splits = [e for _i, e in top if e.get("ev") == "split"]
    _record_fits(facts, events)
    _record_searches(facts, top)
    if facts.splits:
        _analyse_test_split(facts, top)
    _record_final_model(facts, top, raw_columns)
    return facts


def _record_event(facts: TraceFacts, e: dict, dataset_file: str) -> None:
    """A database opened, rows read from the provided one, an uncaught exception, a tracer error."""
    kind = e.get("ev")
    if kind == "db_open":
        failed = "" if e.get("ok", True) else f" (failed: {e.get('error')})"
        facts.db_opened.append(f"{e.get('path')}{failed}")
    elif kind == "db_rows" and _provided(e, dataset_file):
        facts.training_rows_read += int(e.get("rows") or 0)
    elif kind == "uncaught":
        facts.uncaught.append(f"{e.get('type')}: {e.get('message')}")
    elif kind == "tracer_error":
        facts.problems.append(f"tracer: {e.get('error')}")


def _top_level(events: list[dict]) -> list[tuple[int, dict]]:
    """The main process's top-level calls that completed, with their position among its events."""
    main = [e for e in events if not e.get("child")]
    return [(i, e) for i, e in enumerate(main) if e.get("depth") == 0 and "error" not in e]


def _record_fits(facts: TraceFacts, events: list[dict]) -> None:
    """Model fits in any process: how many, those that received missing values, the unseeded random parts."""
    facts.model_fits = sum(1 for e in events if e.get("ev") in FIT and e.get("role") == "model")
    facts.nan_at_fit = [f"{e.get('est')}.fit received {e.get('nan')} missing values" for e in events
                        if _nan_at_model_fit(e)]
    facts.unseeded = _unseeded(events, facts.splits)


def _nan_at_model_fit(e: dict) -> bool:
    """A model's fit received missing values, and the model is not one that handles them."""
    return e.get("ev") in FIT and e.get("role") == "model" and (e.get("nan") or 0) > 0 \
        and not NAN_NATIVE.search(str(e.get("est")))


def _unseeded_fit(e: dict) -> bool:
    """A random model or search fitted with random_state=None (baselines and deterministic models aside)."""
    params = e.get("params") or {}
    return e.get("ev") in FIT and "random_state" in params and params["random_state"] is None \
        and e.get("role") in ("model", "search") and not BASELINES.search(str(e.get("est"))) \
        and not DETERMINISTIC.search(str(e.get("est")))


def _unseeded(events: list[dict], splits: list[dict]) -> list[str]:
    """The random components left unseeded: fits, and splits that shuffle."""
    found = [f"{e.get('est')} (random_state=None)" for e in events if _unseeded_fit(e)]
    found += ["train_test_split (random_state=None)" for split in splits
              if split.get("random_state") is None and split.get("shuffle", True)]
    return sorted(set(found))


def _record_searches(facts: TraceFacts, top: list[tuple[int, dict]]) -> None:
    """The top-level hyper-parameter searches and cross-validation calls."""
    for _i, e in top:
        if e.get("ev") == "fit" and e.get("role") == "search":
            facts.searches.append(f"{e.get('est')} over {e.get('candidates', '?')} candidates of "
                                  f"{e.get('final_est') or e.get('best_est')} on {e.get('rows')} rows")
        elif e.get("ev") == "cv":
            facts.cross_validation.append(f"{e.get('fn')}({e.get('est')}) on {e.get('rows')} rows")


def _record_final_model(facts: TraceFacts, top: list[tuple[int, dict]], raw_columns: tuple[str, ...]) -> None:
    """The last top-level fit is the final model: its name, its input features and how many are engineered."""
    fits = [e for _i, e in top if e.get("ev") in FIT and e.get("role") in ("model", "pipeline", "search")]
    if not fits:
        return
    final = fits[-1]
    facts.final_model = str(final.get("final_est") or final.get("est"))
    names = final.get("final_features") or final.get("features") or []
    facts.final_features = [str(n) for n in names]
    if names and raw_columns:
        facts.engineered_in_final = len(engineered(facts.final_features, raw_columns))


def _analyse_test_split(facts: TraceFacts, top: list[tuple[int, dict]]) -> None:
    """Leakage and model selection against the first (outermost) split's test part."""
    first, split = next((i, e) for i, e in top if e.get("ev") == "split")
    evaluations = [(i, e) for i, e in top if e.get("ev") in EVALUATE and i > first and _evaluates_on(e, split)
                   and not BASELINES.search(str(e.get("est")))]
    last_eval = max((i for i, _e in evaluations), default=-1)
    models = {}
    for _i, e in evaluations:
        models.setdefault(e.get("obj"), f"{e.get('est')}.{e.get('ev')} on the {e.get('rows')} test rows")
    facts.test_models = len(models)
    facts.test_evaluations = list(models.values())
    # several models scored on the test split is model selection on it when nothing else could have chosen:
    # no validation split, no search, no cross-validation (otherwise the test scores are the final report)
    other_means = len(facts.splits) > 1 or facts.searches or facts.cross_validation
    facts.test_selection = 0 if other_means else facts.test_models
    _record_leaks(facts, top, first, split, last_eval)


def _record_leaks(facts: TraceFacts, top: list[tuple[int, dict]], first: int, split: dict, last_eval: int) -> None:
    """Fits (before or after the split) that saw its test rows, which are evaluated afterwards: leaks."""
    for i, e in top:
        if e.get("ev") not in FIT or i > last_eval or not _touches(e, split, after_split=i > first):
            continue
        when = "before" if i < first else "after"
        what = f"{e.get('est')}.{e.get('ev')} on {e.get('rows')} rows {when} the split"
        if e.get("role") == "search":
            facts.search_on_test.append(what)
        leak = f"{what} saw the test split's rows, which are evaluated afterwards"
        if leak not in facts.leaks:
            facts.leaks.append(leak)


INTEGRITY_PROBLEMS = ("truncated", "malformed", "over-long", "not an event", "kept its connection")


def unverified_reasons(run: RunResult | None) -> list[str]:
    """Why a run's trace cannot be taken as the whole story: Python that ran untraced, a damaged record."""
    if run is None or run.trace is None:
        return []
    reasons = [f"a Python process ran untraced ({p})" for p in run.trace_untraced[:5]]
    if len(run.trace_untraced) > 5:
        reasons.append(f"{len(run.trace_untraced) - 5} more untraced Python processes")
    reasons += [f"the trace record is incomplete or malformed: {p}" for p in run.trace_problems
                if any(word in p for word in INTEGRITY_PROBLEMS)]
    return reasons
