"""Why a total fails the pack's pass rule, in words staff can act on (summary.csv, the terminal)."""

from __future__ import annotations


def fail_reasons(percent: float, levels: dict[str, int | None], rule: dict) -> list[str]:
    """Each condition of the pass rule the grading misses, e.g. "pipeline.design 1 < 2"; [] when it passes."""
    reasons = []
    min_pct = float(rule.get("min_total_pct", 50.0))
    if percent < min_pct:
        reasons.append(f"total {percent:g}% < {min_pct:g}%")
    for line_id, minimum in dict(rule.get("min_levels", {})).items():
        if line_id in levels and (levels[line_id] or 0) < minimum:
            shown = "not assessed" if levels[line_id] is None else levels[line_id]
            reasons.append(f"{line_id} {shown} < {minimum}")
    return reasons


def report_fail_reasons(report: dict) -> list[str]:
    """fail_reasons of a report.json, after the assessor's overrides when it is finalized."""
    score = report.get("score")
    if not score:
        return []
    final = report.get("final")
    lines = (final or {}).get("lines") or report.get("lines") or []
    percent = final["percent"] if final else score["percent"]
    return fail_reasons(percent, {line["id"]: line.get("level") for line in lines}, score.get("rule") or {})
