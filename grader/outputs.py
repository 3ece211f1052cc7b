"""Writing one grading's files (report.json, report.html, plots) into its folder, keeping assessor overrides."""

from __future__ import annotations

from pathlib import Path

from grader.grade import Grading
from grader.html_report import save_plots, write_html
from grader.overrides import OVERRIDES_FILE, OverrideError, finalize, load_overrides, split_overrides
from grader.report import to_dict, write_json


def write_reports(grading: Grading, out: Path, overrides_from: Path | None = None) -> tuple[dict, list[str]]:
    """Write the reports under `out`; overrides in `overrides_from` (default `out`) are applied to a graded report.

    Returns the report and warnings for the user (e.g. an unreadable overrides file).
    """
    out.mkdir(parents=True, exist_ok=True)
    report = to_dict(grading)
    report["plots"] = save_plots(grading.plots, out)
    warnings: list[str] = []
    try:
        overrides = load_overrides(overrides_from or out) if report["status"] == "graded" else []
    except OverrideError as exc:
        warnings.append(f"overrides not applied: {exc}")
        overrides = []
    overrides, foreign = split_overrides(report, overrides)
    if foreign:
        sources = ", ".join(sorted({str(o.get("source")) for o in foreign}))
        warnings.append(f"{len(foreign)} override(s) in {(overrides_from or out) / OVERRIDES_FILE} were recorded "
                        f"for another submission ({sources}); not applied to {report['submission']['source_id']}")
    if overrides:  # a re-grade keeps the assessor's overrides of an unchanged submission
        report = finalize(report, overrides)
    write_json(report, out / "report.json")
    write_html(report, out)
    return report, warnings
