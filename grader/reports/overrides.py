"""Assessor overrides (SPEC §7): a line's level changed with a reason, audited, and the final score.

Overrides live in `overrides.json` beside report.json, tied to the submission's source (report.json
`submission.source_id`: the resolved path for `grader check`, the cohort entry for `grader batch`) and to its content
digest: a re-grade of an unchanged submission keeps them, a changed submission marks them stale, and a different
source never inherits them, stale or not (issue 13).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from grader.atomicfile import write_json
from grader.rubric import INTERVIEW, SCORED, LineScore, Rubric, summarize

OVERRIDES_FILE = "overrides.json"
NOTE = "note"  # the key of record_override's explanation for the assessor (returned, never stored)
INTERVIEW_NOTE = ("Communication is assessed at the interview and is outside the automated total: this override "
                  "sets the line's interview level (the final report's interview levels and average), not the points "
                  "or the pass/fail.")


class OverrideError(ValueError):
    """An override that cannot be recorded; names the file or the line and the problem."""


def load_overrides(folder: Path) -> list[dict]:
    path = folder / OVERRIDES_FILE
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise OverrideError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, list):
        raise OverrideError(f"{path}: expected a list of overrides")
    return data


def split_overrides(report: dict, overrides: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the overrides of this report's source, those recorded for another source).

    An entry without a source (recorded before sources were) or a report without one counts as this source's.
    """
    ident = (report.get("submission") or {}).get("source_id")
    own = [o for o in overrides if not ident or o.get("source") in (None, ident)]
    return own, [o for o in overrides if ident and o.get("source") not in (None, ident)]


def _graded_report(folder: Path, action: str, change: str) -> dict:
    """folder/report.json, which must exist and be of a graded submission, or an OverrideError saying why."""
    path = folder / "report.json"
    if not path.is_file():
        raise OverrideError(f"{path}: no report to {action}")
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("status") != "graded":
        raise OverrideError(f"{path}: the submission was not graded; nothing to {change}")
    return report


def record_override(folder: Path, rubric: Rubric, line: str, level: int, reason: str, assessor: str) -> dict:
    """Append one override to folder/overrides.json after checking it against the report.

    Returns the stored entry; for an interview line (comm.*) with a `note` (NOTE) saying that it does not change the
    total. The note is for the assessor's terminal and is not written to overrides.json."""
    report = _graded_report(folder, "review", "override")
    if line not in {item.id for item in rubric.lines}:
        raise OverrideError(f"{line!r} is not a line of the rubric (see report.json `lines`)")
    if level not in (0, 1, 2, 3):
        raise OverrideError(f"level must be 0, 1, 2 or 3, not {level}")
    if not reason.strip() or not assessor.strip():
        raise OverrideError("an override needs a reason and the assessor's name")
    entry = {"line": line, "level": level, "reason": reason.strip(), "assessor": assessor.strip(),
             "at": datetime.now(UTC).isoformat(timespec="seconds"),
             "digest": report["submission"]["digest"]}
    if report["submission"].get("source_id"):
        entry["source"] = report["submission"]["source_id"]
    overrides = load_overrides(folder) + [entry]
    write_json(overrides, folder / OVERRIDES_FILE)
    return {**entry, NOTE: INTERVIEW_NOTE} if _is_interview_line(report, line) else entry


def _is_interview_line(report: dict, line: str) -> bool:
    """A line the interview assesses (Communication, comm.*): the report says so, or its id does."""
    status = next((item.get("status") for item in report.get("lines", []) if item.get("id") == line), None)
    return status == INTERVIEW or (status is None and line.startswith("comm."))


def finalize(report: dict, overrides: list[dict]) -> dict:
    """Apply the current overrides to a report: final levels, total, pass/fail and the audit trail.

    Overrides recorded for another source are neither applied nor listed (only counted): they are someone else's.
    """
    digest = report["submission"]["digest"]
    overrides, foreign = split_overrides(report, overrides)
    current = [o for o in overrides if o.get("digest") == digest]
    stale = [o for o in overrides if o.get("digest") != digest]
    lines = _overridden_lines(report, current)
    summary = summarize(lines, report["score"].get("rule", {}))
    interview = [r.level for r in lines if r.status == INTERVIEW and r.level is not None]
    report["final"] = {
        "lines": [asdict(r) for r in lines],
        "points": summary.points, "max_points": summary.max_points, "percent": summary.percent,
        "passed": summary.passed, "provisional": summary.provisional, "pass_rule": summary.pass_rule,
        "interview_levels": {r.id: r.level for r in lines if r.status == INTERVIEW and r.level is not None},
        "interview_average": round(sum(interview) / len(interview), 2) if interview else None,
        "audit": _audit(report, current),
        "stale_overrides": stale,
        "foreign_overrides_ignored": len(foreign),
        "finalized_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return report


def _audit(report: dict, current: list[dict]) -> list[dict]:
    """Every current override with the level it replaced and the one it set."""
    by_id = {line["id"]: line for line in report["lines"]}
    return [{**o, "old": by_id.get(o["line"], {}).get("level"), "new": o["level"]} for o in current]


def _overridden_lines(report: dict, current: list[dict]) -> list[LineScore]:
    """The report's line scores with the last current override of each line applied."""
    newest = {o["line"]: o for o in current}  # the last override of a line wins; all stay in the audit
    lines = []
    for line in report["lines"]:
        result = LineScore(**{k: line[k] for k in LineScore.__dataclass_fields__})
        if line["id"] in newest:
            o = newest[line["id"]]
            result.level = o["level"]
            if result.status != INTERVIEW:
                result.status = SCORED
            result.reason = f"assessor override by {o['assessor']}: {o['reason']}"
            result.confidence = 1.0
            result.needs_review = False
        lines.append(result)
    return lines


def finalize_folder(folder: Path) -> dict:
    """`grader finalize`: apply folder/overrides.json to folder/report.json and rewrite it."""
    path = folder / "report.json"
    report = _graded_report(folder, "finalize", "finalize")
    report = finalize(report, load_overrides(folder))
    write_json(report, path)
    return report
