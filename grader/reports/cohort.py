"""The cohort's views (SPEC §8): summary.csv, one row per submission, and cohort.html with the distributions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from grader import __version__
from grader.atomicfile import write_text
from grader.reports.charts import REFERENCE_COLOR, Mark, histogram_svg
from grader.rubric import INTERVIEW, NOT_ASSESSED, Rubric
from grader.rubric.passing import report_fail_reasons
from grader.textsafe import csv_cell

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class Row:
    """One submission's line of the cohort table; `status` is graded, not_graded, grader_error or rejected."""

    candidate: str
    location: str
    status: str
    error: str | None = None
    report: dict | None = None
    report_path: str | None = None
    wall_s: float | None = None
    pipeline_s: float | None = None
    cached: bool = False
    similarity: list[dict] = field(default_factory=list)


UNBOUNDED_METRICS = ("rmse", "mae")  # errors in the target's own unit: no upper bound of 1


def metric_ceiling(metric: str | None, values: list[float], reference: dict) -> float:
    """The top of the held-out metric's histogram: 1 for scores, the largest value seen for an error."""
    if metric not in UNBOUNDED_METRICS:
        return 1.0
    seen = [float(v) for v in [*values, reference.get(metric)] if isinstance(v, int | float)]
    return max(seen, default=1.0) * 1.1 or 1.0


def _final_or_auto(report: dict) -> tuple[list[dict], dict]:
    final = report.get("final") or {}
    return (final.get("lines") or report.get("lines") or []), (report.get("score") or {})


def run_status(report: dict | None) -> str:
    """The submitted run's status, with `+assisted` when the evidence came from an assisted re-run."""
    if not report or not report.get("runs"):
        return "not_run"
    submitted = next((r for r in report["runs"] if r["label"] == "submitted"), report["runs"][0])
    status = submitted["status"]
    if submitted["status"] == "completed" and submitted.get("exit_code") not in (0, None):
        status = f"exit_{submitted['exit_code']}"
    if "assisted_rerun" in report.get("flags", []):
        status += "+assisted"
    return status


def summary_columns(rubric: Rubric) -> list[str]:
    return (["candidate_id", "candidate_name", "candidate_email", "status", "total_points", "max_points", "percent",
             "passed", "provisional", "final_percent", "final_passed", "fail_reason"]
            + [line.id for line in rubric.lines]
            + [f"section.{s.id}" for s in rubric.sections]
            + ["heldout_metric", "heldout_value", "heldout_valid", "run_status", "pipeline_s", "grading_s",
               "flags", "max_similarity", "similar_to", "error", "location", "report"])


def summary_record(row: Row, rubric: Rubric) -> dict[str, object]:
    """The CSV fields of one row. Levels per line: a number, `not_assessed`, or empty (an interview line not yet
    reviewed); passed / final_passed are true or false on every row (false when not graded: fail_reason says why);
    final_* equal the automated figures until an assessor's override changes them."""
    record: dict[str, object] = {"candidate_id": row.candidate, "status": row.status, "location": row.location,
                                 "error": (row.error or "").splitlines()[0][:300] if row.error else "",
                                 "report": row.report_path or "", "grading_s": row.wall_s or "",
                                 "pipeline_s": row.pipeline_s if row.pipeline_s is not None else "",
                                 "passed": False, "final_passed": False,
                                 "fail_reason": "" if row.status == "graded" else f"not graded ({row.status})"}
    report = row.report
    if report and report.get("score"):
        record.update(_score_fields(report))
    if report:
        record.update(_run_fields(report))
    if row.similarity:
        best = max(row.similarity, key=lambda pair: pair["score"])
        record.update(max_similarity=round(best["score"], 3),
                      similar_to=";".join(sorted({p["other"] for p in row.similarity})))
    return record


def _score_fields(report: dict) -> dict[str, object]:
    score = report["score"]
    final = report.get("final") or {}
    fields: dict[str, object] = {
        "total_points": score["points"], "max_points": score["max_points"], "percent": score["percent"],
        "passed": bool(score["passed"]), "provisional": score["provisional"],
        "final_percent": final.get("percent", score["percent"]),
        "final_passed": bool(final.get("passed", score["passed"])),
        "fail_reason": "; ".join(report_fail_reasons(report))}
    lines, _ = _final_or_auto(report)
    for line in lines:
        fields[line["id"]] = _level_field(line)
    for section, level in score.get("section_levels", {}).items():
        fields[f"section.{section}"] = level
    return fields


def _level_field(line: dict) -> object:
    if line["status"] == NOT_ASSESSED:
        return "not_assessed"
    if line["status"] == INTERVIEW:
        return "" if line.get("level") is None else line["level"]  # set by an assessor's override
    return line["level"]


def _run_fields(report: dict) -> dict[str, object]:
    fields: dict[str, object] = {"run_status": run_status(report), "flags": ";".join(report.get("flags", []))}
    held = report.get("heldout") or {}
    if held:
        metric = held.get("primary_metric") or ""
        fields.update(heldout_metric=metric, heldout_valid=bool(held.get("valid")),
                      heldout_value=(held.get("metrics") or {}).get(metric, "") if held.get("valid") else "")
    identity = next((e.get("data", {}).get("candidate") for e in report.get("evidence", []) if e["code"] == "DOC001"),
                    None) or {}
    fields.update(candidate_name=identity.get("name", ""), candidate_email=identity.get("email", ""))
    return fields


def write_summary(rows: list[Row], rubric: Rubric, path: Path) -> Path:
    """summary.csv, written atomically, rows in candidate order; no cell can be a spreadsheet formula (issue 13)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=summary_columns(rubric), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: r.candidate):
        writer.writerow({column: csv_cell(value) for column, value in summary_record(row, rubric).items()})
    return write_text(buffer.getvalue(), path)


def histogram(values: list[float], low: float, high: float, bins: int) -> list[dict]:
    """Counts per equal-width bin over [low, high] (the last bin closed), for the charts."""
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        index = min(bins - 1, max(0, int((value - low) / width))) if width else 0
        counts[index] += 1
    top = max(counts) or 1
    return [{"low": round(low + i * width, 3), "high": round(low + (i + 1) * width, 3), "count": c,
             "height": c / top} for i, c in enumerate(counts)]


def _stats(values: list[float]) -> dict | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return {"n": len(values), "min": ordered[0], "max": ordered[-1], "median": round(median, 3),
            "mean": round(sum(values) / len(values), 3)}


DEFAULT_PASS_PCT = 50.0  # the scorer's default min_total_pct, when no report states its pass rule


def _chart(key: str, values: list[float], low: float, high: float, bins: int, xlabel: str, marks: list[Mark],
           color: str, size: tuple[float, float]) -> Markup | None:
    """A matplotlib histogram of the values as inline SVG (None when there is nothing to draw)."""
    if not values:
        return None
    counts = [b["count"] for b in histogram(values, low, high, bins)]
    return Markup(histogram_svg(key, counts, low, high, xlabel, marks, color, size))


def _pass_rule(graded: list[Row]) -> tuple[float, str]:
    """The cohort's pass mark on the total (%) and the whole rule as text, from the graded reports."""
    score = graded[0].report["score"] if graded and graded[0].report else {}
    pct = (score.get("rule") or {}).get("min_total_pct", DEFAULT_PASS_PCT)
    return float(pct), str(score.get("pass_rule") or f"total >= {pct:g}%")


def _section_views(rubric: Rubric, graded: list[Row]) -> list[dict]:
    """One histogram per section with automated levels (Communication, interview-only, has none: no panel)."""
    sections = []
    for section in rubric.sections:
        if not any(line.auto for line in rubric.lines if line.section == section.id):
            continue
        values = [r.report["score"]["section_levels"][section.id] for r in graded
                  if section.id in r.report["score"].get("section_levels", {})]
        sections.append({"id": section.id, "title": section.title, "stats": _stats(values),
                         "bins": histogram(values, 0.0, 3.0, 6),
                         "svg": _chart(f"section-{section.id}", values, 0.0, 3.0, 6, "mean level of its lines (0-3)",
                                       [], "#2e6b8f", (3.4, 1.9))})
    return sections


def _line_groups(rubric: Rubric) -> list[dict]:
    """The table's line columns grouped by section, each with its full id and title (header tooltip, legend)."""
    return [{"title": f"{s.number} {s.title}", "lines": [{"id": line.id, "title": line.title}
                                                         for line in rubric.lines if line.section == s.id]}
            for s in rubric.sections if any(line.section == s.id for line in rubric.lines)]


def _totals_view(graded: list[Row]) -> dict:
    totals = [r.report["score"]["percent"] for r in graded]
    pass_pct, pass_rule = _pass_rule(graded)
    return {"stats": _stats(totals), "bins": histogram(totals, 0.0, 100.0, 10), "pass_pct": pass_pct,
            "pass_rule": pass_rule,
            "svg": _chart("totals", totals, 0.0, 100.0, 10, "total (% of the automated maximum)",
                          [Mark(pass_pct, f"pass mark {pass_pct:g}%")], "#1f3a5f", (4.6, 2.3))}


def _metric_view(graded: list[Row], reference: dict[str, float]) -> dict:
    """The held-out primary metric over the valid predictions, with the reference pipeline's score marked."""
    metric = next((r.report["heldout"]["primary_metric"] for r in graded if r.report.get("heldout")), None)
    helds = [r.report.get("heldout") or {} for r in graded] if metric else []
    values = [held["metrics"][metric] for held in helds if held.get("valid") and metric in held.get("metrics", {})]
    ceiling = metric_ceiling(metric, values, reference)
    marker = reference.get(metric) if metric else None
    marks = [] if marker is None else [Mark(float(marker), f"reference {marker:.3g}", REFERENCE_COLOR, ":")]
    return {"name": metric, "stats": _stats(values), "bins": histogram(values, 0.0, ceiling, 10), "reference": marker,
            "svg": _chart("metric", values, 0.0, ceiling, 10, f"held-out {metric} (valid predictions)", marks,
                          "#6c3483", (4.6, 2.3))}


def _failures(rows: list[Row]) -> list[dict]:
    """Submissions not graded, and graded ones whose pipeline did not complete."""
    failures = []
    for row in sorted(rows, key=lambda r: r.candidate):
        if row.status != "graded":
            failures.append({"candidate": row.candidate, "kind": row.status, "detail": row.error or "",
                             "report": row.report_path})
        elif row.report and run_status(row.report) not in ("completed", "not_run"):  # not_run: static grading
            failures.append({"candidate": row.candidate, "kind": f"pipeline {run_status(row.report)}",
                             "detail": next((f for f in row.report.get("flags", []) if f.startswith("pipeline_")), ""),
                             "report": row.report_path})
    return failures


def cohort_view(rows: list[Row], rubric: Rubric, similarity: dict | None, title: str,
                reference: dict[str, float]) -> dict:
    """Everything cohort.html shows, computed from the rows (kept apart from the template for the tests)."""
    graded = [r for r in rows if r.status == "graded" and r.report and r.report.get("score")]
    table = [{"row": r, "record": summary_record(r, rubric)} for r in sorted(rows, key=lambda r: r.candidate)]
    return {
        "title": title, "version": __version__, "counts": {
            "total": len(rows), "graded": len(graded), "passed": sum(1 for r in graded if r.report["score"]["passed"]),
            "not_graded": sum(1 for r in rows if r.status in ("not_graded", "rejected")),
            "grader_error": sum(1 for r in rows if r.status == "grader_error")},
        "totals": _totals_view(graded), "sections": _section_views(rubric, graded),
        "metric": _metric_view(graded, reference), "failures": _failures(rows), "table": table,
        "lines": [line.id for line in rubric.lines], "line_groups": _line_groups(rubric), "similarity": similarity,
    }


def write_cohort_html(rows: list[Row], rubric: Rubric, similarity: dict | None, out: Path, title: str,
                      reference: dict[str, float]) -> Path:
    """cohort.html: self-contained (matplotlib's inline SVG, no script), links to each report.html."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    view = cohort_view(rows, rubric, similarity, title, reference)
    return write_text(env.get_template("cohort.html.j2").render(v=view), out / "cohort.html")
