"""Levels from a stored report's evidence under the current rubric (tuning rules needs no re-grading)."""

from __future__ import annotations

from dataclasses import dataclass

from checks.base import Evidence, Location
from grader.rubric import INTERVIEW, SCORED, Rubric, score


@dataclass(frozen=True)
class LineResult:
    level: int | None
    confidence: float
    needs_review: bool
    reason: str


def evidence_from_report(report: dict) -> dict[str, Evidence]:
    """The report's evidence list back as Evidence objects, by check code."""
    found = {}
    for item in report.get("evidence", []):
        found[item["code"]] = Evidence(
            code=item["code"], name=item.get("name", ""), lines=tuple(item.get("lines", ())),
            status=item.get("status", ""), summary=item.get("summary", ""), metrics=dict(item.get("metrics", {})),
            findings=list(item.get("findings", [])),
            locations=[Location(loc.get("path", ""), loc.get("line"), loc.get("snippet", ""))
                       for loc in item.get("locations", [])],
            confidence=float(item.get("confidence", 1.0)), data=dict(item.get("data") or {}))
    return found


def rescore(report: dict, rubric: Rubric) -> dict[str, LineResult]:
    """Every auto-scored line's result from the report's evidence (a report with no evidence: none)."""
    evidence = evidence_from_report(report)
    if not evidence:
        return {}
    results = {}
    for scored in score(rubric, evidence).lines:
        if scored.status == INTERVIEW:
            continue
        level = scored.level if scored.status == SCORED else None
        results[scored.id] = LineResult(level, scored.confidence, scored.needs_review, scored.reason)
    return results
