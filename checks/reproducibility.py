"""REP001 reproducibility: two identical runs should give the same predictions; unseeded randomness is flagged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.trace import run_facts
from sandbox.base import RunResult

MAX_COMPARE_BYTES = 50_000_000


def _digest(path: Path) -> str | None:
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_COMPARE_BYTES:
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def same_values(first: pd.Series, second: pd.Series) -> pd.Series:
    """Row by row, whether two runs predicted the same: numbers within a rounding error, else the same text."""
    a, b = first.astype(str).str.strip(), second.astype(str).str.strip()
    same = a.str.casefold() == b.str.casefold()
    x, y = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    close = pd.Series(np.isclose(x, y, rtol=1e-9, atol=1e-12), index=a.index) & x.notna() & y.notna()
    return same | close


def compare_predictions(first: Path, second: Path, id_column: str, target: str) -> dict[str, float | bool]:
    """Agreement of two predictions files on the same ids: share of equal predictions (class or number) and the
    largest probability gap."""
    try:
        a = pd.read_csv(first, dtype=str, keep_default_na=False)
        b = pd.read_csv(second, dtype=str, keep_default_na=False)
        merged = a.merge(b, on=id_column, suffixes=("_1", "_2"))
    except (OSError, ValueError, KeyError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return {"comparable": False}
    if merged.empty or f"{target}_1" not in merged:
        return {"comparable": False}
    same = float(same_values(merged[f"{target}_1"], merged[f"{target}_2"]).mean())
    out: dict[str, float | bool] = {"comparable": True, "label_agreement": round(same, 4)}
    proba = f"{target}_proba"
    if f"{proba}_1" in merged:
        gap = (pd.to_numeric(merged[f"{proba}_1"], errors="coerce") - pd.to_numeric(merged[f"{proba}_2"],
                                                                                    errors="coerce")).abs()
        out["max_proba_gap"] = round(float(gap.max()), 6) if gap.notna().any() else 0.0
    return out


def compare_runs(ctx: CheckContext, run: RunResult, repeat: RunResult) -> tuple[dict[str, float | bool], bool]:
    """What two runs' outputs share: the predictions by id and target when the pack has a contract, else the
    files byte for byte; and whether they are identical."""
    if run.output_dir is None or repeat.output_dir is None:
        return {"comparable": False}, False
    if ctx.heldout is not None:
        rel = ctx.heldout.predictions_path.removeprefix("output/")
        result = compare_predictions(run.output_dir / rel, repeat.output_dir / rel, ctx.heldout.id_column,
                                     ctx.heldout.target)
        identical = bool(result.get("comparable")) and result.get("label_agreement") == 1.0 \
            and float(result.get("max_proba_gap", 0.0)) <= 1e-9
        return result, identical
    files = sorted(set(run.output_files) & set(repeat.output_files))
    same = [f for f in files if _digest(run.output_dir / f) == _digest(repeat.output_dir / f)]
    return ({"comparable": bool(files), "files_identical": len(same), "files_compared": len(files)},
            bool(files) and len(same) == len(files))


def _disagreement(metrics: dict) -> str:
    if "label_agreement" not in metrics:
        return (f"two runs disagree: {metrics['files_compared'] - metrics['files_identical']} of "
                f"{metrics['files_compared']} output file(s) differ")
    return (f"two runs disagree: {float(metrics['label_agreement']):.1%} of predictions agree"
            + (f", probabilities differ by up to {metrics['max_proba_gap']}" if "max_proba_gap" in metrics else ""))


class Reproducibility(Check):
    code = "REP001"
    name = "reproducibility"
    lines = ("pipeline.design",)
    kind = "dynamic"
    summary = ("Runs the pipeline a second time (with --repeat) and compares the predictions; from the trace, "
               "lists estimators and splits left with random_state=None.")
    rationale = ("A pipeline whose results change from run to run cannot be checked by anyone else: seeds belong "
                 "in the config, and an assessor re-running it should get the candidate's numbers.")
    example = ("second run: 97.1% of predictions agree, probabilities differ by up to 0.08; "
               "RandomForestClassifier unseeded.")

    metrics = {"repeated": "the pipeline was run a second time (--repeat)",
               "unseeded": "random components left with random_state=None in the traced run (count)",
               "comparable": "the two runs' outputs could be compared",
               "identical": "the two runs gave identical predictions (or output files)",
               "label_agreement": "share 0-1 of held-out predictions equal in both runs",
               "max_proba_gap": "largest difference of a predicted probability between the runs (0-1)",
               "files_identical": "output files byte-identical in both runs (count, no predictions contract)",
               "files_compared": "output files both runs wrote (count, no predictions contract)"}

    def run(self, ctx: CheckContext) -> Evidence:
        run = ctx.run
        if run is None:
            return self.evidence(NOT_APPLICABLE, "the pipeline was not run")
        facts = run_facts(ctx)
        unseeded = facts.unseeded if facts else []
        findings = [f"unseeded randomness: {item}" for item in unseeded]
        metrics: dict[str, float | bool | int] = {"repeated": False, "unseeded": len(unseeded)}
        repeat = ctx.repeat_run
        if repeat is None or run.output_dir is None or repeat.output_dir is None:
            summary = (f"{len(unseeded)} unseeded random component(s) in the traced run; not run twice "
                       "(use --repeat)")
            return self.evidence(OK, summary, metrics=metrics, findings=findings)
        metrics["repeated"] = True
        result, identical = compare_runs(ctx, run, repeat)
        metrics.update(result)
        metrics["identical"] = identical
        if identical:
            summary = "two runs gave identical predictions"
        elif metrics.get("comparable"):
            summary = _disagreement(metrics)
            findings.insert(0, "the predictions change from run to run: " + summary)
        else:
            summary = "the two runs' outputs could not be compared"
        return self.evidence(OK, summary, metrics=metrics, findings=findings,
                             locations=[Location(ctx.run_script or "run.sh", None, "run twice")])
