"""HLD002 self-reported metrics: rerun mode, where the pipeline ran on a fresh sample and printed its own scores."""

from __future__ import annotations

import re

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.pipeline import run_outcome

NUMBER = r"(?<![\w.])(0?\.\d+|1\.0+|0|1|\d{1,2}(?:\.\d+)?\s*%)(?![\w-])"
METRIC_NAMES = {
    "f1": r"f1(?:[-_ ]?score)?",
    "precision": r"precision",
    "recall": r"recall",
    "accuracy": r"accuracy|acc",
    "roc_auc": r"roc[-_ ]?auc|auc[-_ ]?roc|auc",
}
INLINE = {name: re.compile(rf"(?i)\b(?:{pattern})\b[^\n\d]{{0,24}}?{NUMBER}") for name, pattern in METRIC_NAMES.items()}
# the positive-class row of sklearn's classification_report: "1   0.57   0.76   0.65   345"
REPORT_ROW = re.compile(r"(?m)^\s*(?:1|1\.0|True|late|yes)\s+(\d?\.\d+)\s+(\d?\.\d+)\s+(\d?\.\d+)\s+\d+\s*$")


def _value(text: str) -> float | None:
    text = text.strip()
    try:
        value = float(text.rstrip("%").strip()) / (100 if text.endswith("%") else 1)
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def parse_reported_metrics(log: str) -> dict[str, float]:
    """The last value printed for each metric (the final model's, usually); classification_report rows count."""
    found: dict[str, float] = {}
    for name, pattern in INLINE.items():
        values = [_value(m.group(1)) for m in pattern.finditer(log)]
        values = [v for v in values if v is not None]
        if values:
            found[name] = round(values[-1], 4)
    rows = REPORT_ROW.findall(log)
    if rows:
        precision, recall, f1 = (float(v) for v in rows[-1])
        found.setdefault("precision", precision)
        found.setdefault("recall", recall)
        found["f1"] = found.get("f1", f1)
    return found


class SelfReportedMetrics(Check):
    code = "HLD002"
    name = "self-reported-metrics"
    lines = ("model.training",)
    kind = "dynamic"
    summary = ("Rerun mode: the pipeline ran on a fresh sample it never saw, mounted where its training data is "
               "expected; records whether it ran end to end and the metrics it printed, marked self-reported.")
    rationale = ("When a paper has no predictions contract, running on unseen data of the same distribution still "
                 "shows the pipeline works end to end; its own printed scores are evidence, but weaker.")
    example = "ran end to end on the fresh sample; printed F1 0.61 (self-reported, reference 0.64)."

    def run(self, ctx: CheckContext) -> Evidence:
        if ctx.settings.get("heldout_mode") != "rerun":
            return self.evidence(NOT_APPLICABLE, "the pack scores predictions (held-out mode `predictions`)")
        run = ctx.run
        if run is None:
            return self.evidence(NOT_APPLICABLE, "the pipeline was not run", metrics={"ran_on_unseen": False})
        ran, outcome = run_outcome(run, ctx.dataset_file)
        reported = parse_reported_metrics(run.stdout + "\n" + run.stderr)
        primary = str(ctx.settings.get("primary_metric", "f1"))
        reference = dict(ctx.settings.get("reference", {}) or {})
        metrics: dict[str, float | bool] = {"ran_on_unseen": ran, "self_reported": bool(reported)}
        metrics.update({f"reported_{k}": v for k, v in reported.items()})
        if primary in reported and reference.get(primary):
            metrics["ratio_to_reference"] = round(reported[primary] / reference[primary], 3)
        printed = ", ".join(f"{k} {v:.3f}" for k, v in reported.items()) or "no metric found in the log"
        summary = f"on a fresh sample it never saw, the pipeline {outcome}; it printed {printed} (self-reported)"
        findings = ["the metrics are self-reported: parsed from the pipeline's own output, not computed by the "
                    "grader"] if reported else ["the pipeline printed no metric the grader recognises"]
        return self.evidence(OK, summary, metrics=metrics, findings=findings, confidence=0.6,
                             locations=[Location(ctx.run_script or "run.sh", None, "run on the fresh sample")],
                             data={"reported": reported, "reference": reference})
