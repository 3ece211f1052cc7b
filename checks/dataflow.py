"""DYN001 data-flow: what the tracer saw the pipeline do with its rows (checks/trace.py reads the record)."""

from __future__ import annotations

from checks.base import NOT_APPLICABLE, OK, Check, Evidence
from checks.context import CheckContext
from checks.trace import TOY, DataUse, TraceFacts, engineered, run_data_use, run_facts, unverified_reasons


class DataFlow(Check):
    code = "DYN001"
    name = "data-flow"
    lines = ("prep.split", "prep.preprocessing", "prep.feature_engineering", "model.tuning")
    kind = "dynamic"
    summary = ("Traces the run: every scikit-learn fit / transform / predict and split, with row identities. "
               "Finds preprocessing fitted on rows that afterwards form the test split, models compared on the "
               "test split, missing values reaching a model's fit, and the features the final model used.")
    rationale = ("What the data actually went through beats what the code looks like: a split written after a "
                 "fit, or a 'validation' that is the test set, is only visible in the data flow.")
    example = ("data leak: StandardScaler.fit_transform on 11880 rows before the split saw the test split's rows, "
               "which are evaluated afterwards.")

    metrics = {"traced": "a traced Python process reported",
               "trace_verified": "no Python escaped the tracer and the record is intact",
               "splits": "train_test_split calls traced (count)",
               "leak_fits": "fits on rows that afterwards formed the test split (count)",
               "test_selection": "models compared on the test split with no validation/search/CV (count, >= 2 flags)",
               "test_models": "distinct models scored on the test split (count)",
               "searches": "hyper-parameter searches traced (count)",
               "search_on_test": "searches that saw test rows (count)",
               "cv_calls": "cross-validation calls traced (count)",
               "nan_at_model_fit": "model fits that received missing values (count)",
               "engineered_in_final": "engineered features the final model received (count, -1 unknown)",
               "unseeded": "random components left with random_state=None (count)",
               "provided_db_read": "the provided training database was opened and read",
               "training_rows_read": "rows read from the provided database (count)",
               "model_fits": "model fits traced (count)",
               "data_use": "what the model trained on (text: real, toy or unverified)",
               "toy_data": "the model trained/evaluated only on a toy frame",
               "largest_fit_rows": "rows of the largest model fit (count)"}

    def run(self, ctx: CheckContext) -> Evidence:
        facts = run_facts(ctx)
        if facts is None:
            return self.evidence(NOT_APPLICABLE, "the run was not traced", metrics={"traced": False})
        doubts = unverified_reasons(ctx.run)
        if not facts.traced and not doubts:
            return self.evidence(NOT_APPLICABLE, "no Python process ran (the pipeline is not Python): nothing to "
                                 "trace", metrics={"traced": False}, confidence=0.5)
        if not facts.traced:
            return self.evidence(OK, "UNVERIFIED: Python ran, but no traced process reported; the data flow is "
                                 "unknown", metrics={"traced": False, "trace_verified": False},
                                 findings=[f"unverified evidence: {d}" for d in doubts], confidence=0.3)
        use = run_data_use(ctx.run, ctx.dataset_file)
        summary = _summary(facts)
        if doubts:
            summary = "UNVERIFIED (part of the run escaped the tracer): " + summary
        metrics = {**_metrics(facts), "trace_verified": not doubts, "data_use": use.verdict,
                   "toy_data": use.verdict == TOY, "largest_fit_rows": use.largest_fit}
        data = {"splits": [{k: v for k, v in s.items() if not isinstance(v, list)} for s in facts.splits],
                "searches": facts.searches, "cross_validation": facts.cross_validation,
                "test_evaluations": facts.test_evaluations, "final_model": facts.final_model,
                "final_features": facts.final_features[:80],
                "engineered_features": engineered(facts.final_features, ctx.dataset_columns)[:40],
                "databases": facts.db_opened[:10], "processes": facts.processes, "data_use": use.reason}
        return self.evidence(OK, summary, metrics=metrics, findings=_findings(facts, doubts, use), data=data,
                             confidence=0.5 if doubts else 0.9)


def _findings(facts: TraceFacts, doubts: list[str], use: DataUse) -> list[str]:
    """What an assessor should check: doubts about the trace, leaks, toy data, test-set use, NaN, seeds."""
    findings = [f"unverified evidence: {d}" for d in doubts]
    findings += [f"data leak: {leak}" for leak in facts.leaks]
    if use.verdict == TOY:
        findings.append(f"toy data (faked work, marking guide 1.6): {use.reason}")
    findings += _test_set_findings(facts)
    findings += [f"search that saw the test rows: {s}" for s in facts.search_on_test]
    findings += [f"missing values reached a model: {s}" for s in facts.nan_at_fit[:5]]
    if facts.unseeded:
        findings.append("unseeded randomness: " + ", ".join(facts.unseeded[:8]))
    return findings + facts.problems


def _test_set_findings(facts: TraceFacts) -> list[str]:
    """Several models scored on the test split: model selection on it, or (chosen otherwise) a note."""
    scored = _counted(facts.test_evaluations)
    if facts.test_selection >= 2:
        return [f"model selection on the test set: {facts.test_models} different models were scored on "
                f"the test split, with no validation split, search or cross-validation to choose "
                f"between them: {scored}"]
    if facts.test_models >= 2:
        return [f"{facts.test_models} models were scored on the test split (chosen by validation, search "
                f"or cross-validation): {scored}"]
    return []


def _summary(facts: TraceFacts) -> str:
    """The splits, searches, fits, leaks and final model in one sentence."""
    splits = "; ".join(f"train_test_split of {s.get('rows')} rows into {s.get('train_rows')} / "
                       f"{s.get('test_rows')}{' stratified' if s.get('stratified') else ''}"
                       for s in facts.splits) or "no train_test_split"
    return (f"{splits}; {len(facts.searches)} search(es), {facts.model_fits} model fits; "
            f"{len(facts.leaks)} leak(s); {facts.test_models} model(s) scored on the test split; "
            f"final model {facts.final_model or '?'}")


def _metrics(facts: TraceFacts) -> dict[str, bool | int]:
    """DYN001's metrics that come from the trace's facts alone."""
    return {"traced": True, "splits": len(facts.splits), "leak_fits": len(facts.leaks),
            "test_selection": facts.test_selection, "test_models": facts.test_models,
            "searches": len(facts.searches),
            "search_on_test": len(facts.search_on_test), "cv_calls": len(facts.cross_validation),
            "nan_at_model_fit": len(facts.nan_at_fit), "engineered_in_final": facts.engineered_in_final,
            "unseeded": len(facts.unseeded), "provided_db_read": facts.provided_db_read,
            "training_rows_read": facts.training_rows_read, "model_fits": facts.model_fits}


def _counted(items: list[str]) -> str:
    """'a; a; b' -> 'a (x2); b'."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return "; ".join(f"{item} (x{n})" if n > 1 else item for item, n in counts.items())
