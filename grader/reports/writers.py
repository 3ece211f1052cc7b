"""Every output format in one place, registered by name (pylint's reporters are the model).

A grading's files (report.json, report.html), the stream views of one report (the terminal summary, JSON on
stdout) and the cohort's views (summary.csv, cohort.html) are each written here and nowhere else; adding a
format is one entry in a table.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from grader.atomicfile import write_json
from grader.reports.html import save_plots, write_html
from grader.reports.overrides import OVERRIDES_FILE, OverrideError, finalize, load_overrides, split_overrides
from grader.reports.report import print_summary, to_dict

GradingWriter = Callable[[dict, Path], Path]

GRADING_FILES: dict[str, GradingWriter] = {
    "report.json": lambda report, out: write_json(report, out / "report.json"),
    "report.html": write_html,
}


def write_grading_files(report: dict, out: Path, only: tuple[str, ...] | None = None) -> list[Path]:
    """Write a report's files (all registered ones, or `only` these) into its folder."""
    return [writer(report, out) for name, writer in GRADING_FILES.items() if only is None or name in only]


def write_reports(grading, out: Path, overrides_from: Path | None = None) -> tuple[dict, list[str]]:
    """A finished grading's report and files under `out`; overrides in `overrides_from` (default `out`) are
    applied to a graded report. Returns the report and warnings for the user (e.g. an unreadable overrides file)."""
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
    write_grading_files(report, out)
    return report, warnings


def _show_text(report: dict, term, out: Path) -> None:
    from grader.textsafe import safe_terminal_text as safe

    print_summary(report, term.out, verbose=bool(term.verbose), quiet=bool(term.quiet))
    final = report.get("final")
    if final:
        term.print(f"assessor overrides applied: {len(final['audit'])} current, {len(final['stale_overrides'])} "
                   f"stale (submission changed); final total {final['points']:g}/{final['max_points']:g} "
                   f"({final['percent']}%) {'PASS' if final['passed'] else 'FAIL'}")
    term.result(f"report: {safe(out / 'report.json')} and {safe(out / 'report.html')}")


def _show_json(report: dict, term, out: Path) -> None:
    sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    sys.stdout.flush()


STREAMS: dict[str, Callable[[dict, object, Path], None]] = {"text": _show_text, "json": _show_json}


def show_report(fmt: str, report: dict, term, out: Path) -> None:
    """One report on the terminal in a registered format (`grader check --format`)."""
    STREAMS[fmt](report, term, out)


def _summary_csv(rows, rubric, similarity, out: Path, title: str, reference: dict) -> Path:
    from grader.reports.cohort import write_summary

    return write_summary(rows, rubric, out / "summary.csv")


def _cohort_html(rows, rubric, similarity, out: Path, title: str, reference: dict) -> Path:
    from grader.reports.cohort import write_cohort_html

    return write_cohort_html(rows, rubric, similarity, out, title, reference)


COHORT_FILES: dict[str, Callable[..., Path]] = {"summary.csv": _summary_csv, "cohort.html": _cohort_html}


def write_cohort_views(rows, rubric, similarity: dict | None, out: Path, title: str = "", reference: dict | None = None,
                       only: tuple[str, ...] | None = None) -> list[Path]:
    """The cohort's files (summary.csv, cohort.html, or `only` these) from the batch's rows."""
    return [writer(rows, rubric, similarity, out, title, reference or {})
            for name, writer in COHORT_FILES.items() if only is None or name in only]
