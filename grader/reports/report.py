"""Views of a Grading: report.json (everything) and the terminal summary (SPEC §8)."""

from __future__ import annotations

import textwrap
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.base import Evidence
from checks.vocabulary import GOOD
from grader import __version__
from grader.grade import Grading
from grader.reports.brief import improvements, interview_brief
from grader.rubric import INTERVIEW, NOT_ASSESSED
from grader.rubric.passing import report_fail_reasons
from grader.textsafe import safe_terminal_text as safe
from grader.textsafe import strip_control

SCHEMA_VERSION = "0.1"
LOG_TAIL_LINES = 60


def _run_dict(run) -> dict:
    return {
        "label": run.label, "backend": run.backend, "command": list(run.command), "status": run.status,
        "exit_code": run.exit_code, "duration_s": run.duration_s, "timed_out": run.timed_out,
        "oom_killed": run.oom_killed, "peak_memory_bytes": run.peak_memory_bytes,
        "stdout_tail": "\n".join(run.stdout.splitlines()[-LOG_TAIL_LINES:]),
        "stderr_tail": "\n".join(run.stderr.splitlines()[-LOG_TAIL_LINES:]),
        "stdout_bytes": run.stdout_bytes, "stderr_bytes": run.stderr_bytes,
        "output_truncated": run.output_truncated, "output_files": run.output_files, "error": run.error,
        "security_boundary": run.security_boundary, "limits": asdict(run.limits), "notes": run.notes,
        "traced": run.trace is not None, "trace_events": len(run.trace or []),
        "trace_untraced": run.trace_untraced, "trace_problems": run.trace_problems,
        "output_findings": run.output_findings,
    }


def _heldout(grading: Grading) -> dict | None:
    ev = next((e for e in grading.evidence if e.code == "HLD001"), None)
    if ev is None:
        return None
    return {"mode": grading.pack.heldout_mode, "valid": bool(ev.metrics.get("valid")),
            "primary_metric": grading.pack.primary_metric, "metrics": ev.data.get("scores", {}),
            "baselines": ev.data.get("baselines", {}), "problems": ev.findings, "summary": ev.summary}


def flags(grading: Grading) -> list[str]:
    """Short labels an assessor filters on."""
    out = ["not_graded"] if grading.error else []
    out += _run_flags(grading)
    out += _containment_flags(grading)
    held = _heldout(grading)
    if held is not None and not held["valid"] and grading.pack.heldout_mode != "rerun":  # rerun: nothing to score
        out.append("heldout_not_scored")
    if grading.score and any(line.status == NOT_ASSESSED for line in grading.score.lines):
        out.append("lines_not_assessed")
    if grading.runs and not grading.runs[0].security_boundary:
        out.append("local_runner_not_a_security_boundary")
    return out


def _run_flags(grading: Grading) -> list[str]:
    """How the submitted run went: not run, not end to end, re-run with help, on toy data."""
    out = []
    run = grading.runs[0] if grading.runs else None
    run_ev = next((e for e in grading.evidence if e.code == "RUN001"), None)
    if run is None:
        out.append("pipeline_not_run")
    elif run_ev is not None and not run_ev.metrics.get("succeeded"):
        # exit 0 that does not count (a swallowed crash, the data never read, toy data): not "completed"
        out.append("pipeline_not_end_to_end" if run.status == "completed" else f"pipeline_{run.status}")
    if run_ev is not None and run_ev.metrics.get("assisted"):
        out.append("assisted_rerun")
    if run_ev is not None and run_ev.metrics.get("toy_data"):
        out.append("toy_data")  # trained / evaluated on a toy frame, not the provided data (marking guide 1.6)
    return out


def _containment_flags(grading: Grading) -> list[str]:
    """What the traced run showed, and evidence the grader could not verify or refused (issue 13)."""
    flow = next((e for e in grading.evidence if e.code == "DYN001"), None)
    out = _dataflow_flags(flow.metrics) if flow is not None else []
    if grading.workspace is not None and grading.workspace.compiled_files:
        out.append("compiled_files")
    if any(run.output_findings for run in grading.runs):
        out.append("output_refused")
    if any(note.startswith("static analysis in the sandbox failed") for note in grading.notes):
        out.append("static_analysis_failed")
    return out


def _dataflow_flags(metrics: dict) -> list[str]:
    """What the traced run's data flow showed: a leak into fitting, selection on test, a trace not verified."""
    out = []
    if metrics.get("leak_fits"):
        out.append("dataflow_leak")
    if (metrics.get("test_selection") or 0) >= 2:
        out.append("model_selection_on_test")
    if metrics.get("trace_verified") is False:
        out.append("trace_unverified")
    return out


def evidence_dict(e: Evidence) -> dict:
    """One check's evidence as report.json holds it."""
    return {"code": e.code, "name": e.name, "lines": list(e.lines), "status": e.status, "summary": e.summary,
            "metrics": e.metrics, "findings": e.findings, "confidence": e.confidence, "data": e.data,
            "locations": [{"path": loc.path, "line": loc.line, "snippet": loc.snippet} for loc in e.locations]}


def to_dict(grading: Grading) -> dict:
    ws = grading.workspace
    report: dict = {
        "schema_version": SCHEMA_VERSION,
        "grader_version": __version__,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "submission": {
            "name": ws.name if ws else grading.source.name,
            "source": str(grading.source),
            "source_id": str(Path(grading.source).resolve()),  # whose overrides apply (grader.reports.overrides)
            "digest": ws.digest if ws else None,
            "layout": ws.layout() if ws else None,
            "intake_findings": ws.findings if ws else [],
        },
        "pack": {**grading.pack.summary(), "rubric_version": grading.rubric.version},
        "status": "not_graded" if grading.error else "graded",
        "error": grading.error,
        "runs": [_run_dict(r) for r in grading.runs],
        "heldout": _heldout(grading),
        "evidence": [evidence_dict(e) for e in grading.evidence],
        "lines": [asdict(line) for line in grading.score.lines] if grading.score else [],
        "score": None,
        "flags": flags(grading),
        "notes": grading.notes,  # the grader's own problems (e.g. a static phase that could not run)
        "timings": grading.timings,
        "excerpts": {key: [[n, text] for n, text in lines] for key, lines in grading.excerpts.items()},
        "plots": [],
    }
    if grading.score:
        s = grading.score
        report["score"] = {"points": s.points, "max_points": s.max_points, "percent": s.percent,
                           "passed": s.passed, "provisional": s.provisional, "pass_rule": s.pass_rule,
                           "rule": grading.pack.pass_rule, "section_levels": s.section_levels}
        report["interview_brief"] = interview_brief(report, grading.rubric)
        report["improvements"] = improvements(report, grading.rubric)
    return report


LEVEL_STYLE = {0: "red", 1: "yellow", 2: "green", 3: "bold green"}


def _level_cell(line: dict) -> str:
    if line["status"] == INTERVIEW:
        return "[dim]interview[/]"
    if line["status"] == NOT_ASSESSED:
        return "[magenta]not assessed[/]"
    review = " [dim](review)[/]" if line["needs_review"] else ""
    return f"[{LEVEL_STYLE.get(line['level'], 'red')}]{safe(line['level'])}[/]{review}"


WHY_MIN_WIDTH = 24


def _why(line: dict, summaries: dict[str, str]) -> str:
    if line["status"] == INTERVIEW:
        return "assessed at the interview, outside the total"
    return "; ".join(summaries[c] for c in line["checks"] if c in summaries)


def _lines_table(report: dict, width: int, verbose: bool = False) -> Table:
    """One row per rubric line; every value that comes from the submission is escaped and stripped (issue 13).

    The "why" is shortened at a word boundary to about two of its lines at this width (all of it with -v)."""
    summaries = {e["code"]: e["summary"] for e in report["evidence"]}
    table = Table(title=f"{safe(report['submission']['name'])} - {safe(report['pack']['title'])}", show_lines=False)
    table.add_column("line", no_wrap=True)
    table.add_column("level", justify="center", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("why", overflow="fold")
    id_width = max(len(line["id"]) for line in report["lines"])
    why_width = max(WHY_MIN_WIDTH, width - id_width - 34)
    for line in report["lines"]:
        why = strip_control(_why(line, summaries))
        if not verbose:
            why = textwrap.shorten(why, width=max(WHY_MIN_WIDTH, 2 * why_width - 2), placeholder=" ...")
        table.add_row(safe(line["id"]), _level_cell(line),
                      f"{line['confidence']:.2f}" if line["status"] == "scored" else "", safe(why))
    return table


def _print_runs(report: dict, console: Console) -> None:
    for run in report["runs"]:
        if run["label"].startswith("probe:"):
            continue
        style = "green" if run["status"] == "completed" else "red"
        console.print(f"run ({safe(run['label'])}, {safe(run['backend'])}): [{style}]{safe(run['status'])}[/] "
                      f"exit={safe(run['exit_code'])} in {run['duration_s']:.1f} s")
        if run["status"] != "completed" and not run["label"].startswith("notebook"):
            tail = strip_control(run["stderr_tail"] or run["stdout_tail"]).splitlines()[-8:]
            for text in tail:
                console.print(Text("  " + text, style="dim"))


def _print_evidence(report: dict, console: Console) -> None:
    evidence = {e["code"]: e for e in report["evidence"]}
    probes = evidence.get("PRB001", {}).get("data", {}).get("probes", [])
    if probes:
        parts = [f"{safe(p['probe'])} [{'green' if p['outcome'] in GOOD else 'red'}]{safe(p['outcome'])}[/]"
                 for p in probes]
        console.print("robustness probes: " + ", ".join(parts), highlight=False)
    for code in ("DYN001", "NBK001", "REP001"):
        if code in evidence and evidence[code]["status"] == "ok":
            console.print(f"{safe(evidence[code]['name'])}: {safe(evidence[code]['summary'])}", highlight=False)
            for finding in evidence[code]["findings"][:3]:
                console.print(Text("  " + strip_control(finding[:200]), style="yellow"))
    held = report.get("heldout")
    if held:
        console.print(f"held-out: {safe(held['summary'])}")


def print_summary(report: dict, console: Console | None = None, verbose: bool = False, quiet: bool = False) -> None:
    """The candidate / staff terminal view: one row per rubric line, the total, the run and held-out score.

    Everything that comes from the submission (names, summaries, logs, findings) goes through
    grader.textsafe: control sequences stripped, rich markup escaped.
    """
    console = console or Console()
    name = safe(report["submission"]["name"])
    if report["status"] == "not_graded":
        console.print(f"[bold red]{name}: not graded[/] - {safe(report['error'])}")
        return
    if not quiet:
        console.print(_lines_table(report, console.width, verbose))
        _print_runs(report, console)
        _print_evidence(report, console)
    s = report["score"]
    verdict = "[bold green]PASS[/]" if s["passed"] else "[bold red]FAIL[/]"
    provisional = "; provisional: some lines not assessed" if s["provisional"] else ""
    failed = report_fail_reasons(report) if not s["passed"] else []
    because = f": {safe(', '.join(failed))}" if failed else ""
    console.print(f"total {s['points']:g}/{s['max_points']:g} ({s['percent']}%) {verdict}{because} "
                  f"[dim](rule: {safe(s['pass_rule'])}{provisional})[/]", soft_wrap=True)
    if report["flags"]:
        console.print(f"flags: {safe(', '.join(report['flags']))}")
    if report.get("improvements") and not quiet:
        console.print("[bold]the three most valuable improvements:[/]")
        for number, item in enumerate(report["improvements"], start=1):
            label = safe(f"[{item['line']}, level {item['level']}]")
            console.print(f"  {number}. {label} {safe(item['advice'])}", highlight=False)
            console.print(Text(f"     -> {strip_control(str(item['where']))}", style="dim"))
