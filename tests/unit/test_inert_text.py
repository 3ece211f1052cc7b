"""Issue 13 items 7 and 8, without grading: a summary.csv cell never carries a formula, and candidate text printed
to the terminal carries no control sequence and no markup (the batches and gradings: tests/integration/
test_hostile_batch.py and test_hostile_text.py)."""

from __future__ import annotations

from rich.console import Console

from grader.reports.cohort import Row, write_summary
from grader.rubric import load_rubric
from tests.hostile_text_helpers import FAKE_TOTAL, FORMULAS, csv_rows, no_control


def test_csv_cell_neutralises_formulas_and_keeps_numbers():
    from grader.textsafe import csv_cell

    for formula in FORMULAS:
        assert csv_cell(formula) == "'" + formula
    assert csv_cell(-0.25) == -0.25 and csv_cell(-3) == -3 and csv_cell(True) is True and csv_cell(None) is None
    assert csv_cell("-0.25") == "-0.25" and csv_cell("+3") == "+3" and csv_cell("-1e-3") == "-1e-3"  # number literals
    assert csv_cell("plain") == "plain" and csv_cell("") == "" and csv_cell("a=b") == "a=b"


def test_write_summary_neutralises_every_column_but_keeps_negative_numbers(tmp_path):
    rubric = load_rubric()
    report = {"score": {"points": 10, "max_points": 48, "percent": 20.8, "passed": False, "provisional": False,
                        "section_levels": {}},
              "heldout": {"primary_metric": "f1", "valid": True, "metrics": {"f1": -0.5}},
              "runs": [], "flags": ["=flag"]}
    rows = [Row("cand", "=SUM(1+2)", "graded", error="+boom", report=report, report_path="@x/report.html",
                wall_s=1.5, pipeline_s=-1.0)]
    path = write_summary(rows, rubric, tmp_path / "summary.csv")
    (row,) = csv_rows(path)
    assert row["location"] == "'=SUM(1+2)" and row["error"] == "'+boom" and row["report"] == "'@x/report.html"
    assert row["flags"] == "'=flag"
    assert row["heldout_value"] == "-0.5" and row["pipeline_s"] == "-1.0"  # numbers stay numbers


def test_safe_terminal_text_strips_every_kind_of_control_sequence_and_escapes_markup():
    from grader.textsafe import safe_terminal_text, strip_control

    assert strip_control("a\x1b[2J\x1b[Hb") == "ab"  # CSI
    assert strip_control("a\x1b]0;title\x07b\x1b]8;;http://x\x1b\\c") == "abc"  # OSC ended by BEL and by ST
    assert strip_control("a\x9b31mb\x9d0;t\x9cc") == "abc"  # 8-bit CSI and OSC
    assert strip_control("a\x1bPq#0\x1b\\b\x1b(Bc\x1b7d\x1bce") == "abcde"  # DCS, charset, save cursor, reset
    assert strip_control("a\rb\x08c\x00d\x7fe\x85f\u202eg") == "abcdefg"  # C0, DEL, C1, bidi override
    assert strip_control("keep\ttabs\nand lines, ü, 漢字") == "keep\ttabs\nand lines, ü, 漢字"
    assert strip_control("dangling \x1b") == "dangling "
    assert safe_terminal_text("x[/]y [bold red]z\x1b[31m") == "x\\[/]y \\[bold red]z"
    console = Console(width=100, record=True, force_terminal=False)
    console.print(safe_terminal_text("closing tag [/] and [link=file:///etc/passwd]x[/link]\x1b]0;t\x07"))
    assert console.export_text().strip() == "closing tag [/] and [link=file:///etc/passwd]x[/link]"
    assert safe_terminal_text(None) == "None" and safe_terminal_text(3.5) == "3.5"


def test_print_summary_prints_every_candidate_field_inert():
    """Every field of a report the terminal summary prints, made hostile, prints without error and without ESC."""
    from grader.reports.report import print_summary

    nasty = "[/] [bold]x[/bold] \x1b[2J\x1b]0;t\x07"
    report = {
        "submission": {"name": f"cand{nasty}"}, "status": "graded", "error": None,
        "pack": {"title": f"pack {nasty}"},
        "lines": [{"id": "prog.readability", "status": "scored", "level": 1, "needs_review": True,
                   "confidence": 0.5, "checks": ["PRG001"]}],
        "evidence": [{"code": "PRG001", "name": "n", "summary": f"summary {nasty}", "status": "ok", "findings": []},
                     {"code": "DYN001", "name": f"flow {nasty}", "summary": f"flow {nasty}", "status": "ok",
                      "findings": [f"finding {nasty}"]},
                     {"code": "PRB001", "name": "p", "summary": "", "status": "ok",
                      "data": {"probes": [{"probe": f"probe{nasty}", "outcome": f"out{nasty}"}]}, "findings": []}],
        "runs": [{"label": f"submitted {nasty}", "backend": "b", "status": "failed", "exit_code": 3,
                  "duration_s": 1.0, "stderr_tail": f"boom {nasty}\n{FAKE_TOTAL}", "stdout_tail": ""}],
        "heldout": {"summary": f"held {nasty}"},
        "score": {"points": 10, "max_points": 48, "percent": 20.8, "passed": False, "provisional": False,
                  "pass_rule": "total >= 50%"},
        "flags": [f"flag{nasty}"],
        "improvements": [{"line": "prog.readability", "level": 1, "advice": f"advice {nasty}",
                          "where": f"src/x.py:1 {nasty}"}],
    }
    console = Console(width=300, record=True, force_terminal=False)
    print_summary(report, console)
    text = console.export_text()
    no_control(text)
    assert "held [/] [bold]x[/bold]" in text and "advice [/] [bold]x[/bold]" in text
    assert "  total 47/48 (97.9%) PASS" in text  # the fake total is an indented log line, not a verdict
    not_graded = Console(width=300, record=True, force_terminal=False)
    print_summary({"submission": {"name": nasty}, "status": "not_graded", "error": f"member {nasty!r}"}, not_graded)
    printed = not_graded.export_text()
    no_control(printed)
    assert "[/]" in printed

