"""summary.csv for staff: why a FAIL failed, who the candidate is, booleans that stay booleans."""

from __future__ import annotations

import csv
import json

from grader.reports.cohort import Row, write_summary
from grader.rubric import load_rubric
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "html" / "average_report.json"


def _report(**changes) -> dict:
    report = json.loads(FIXTURE.read_text())
    report["evidence"] = [e for e in report["evidence"] if e["code"] != "DOC001"] + [
        {"code": "DOC001", "name": "readme-sections", "lines": ["pipeline.design"], "status": "ok", "summary": "",
         "metrics": {}, "findings": [], "locations": [], "confidence": 0.7,
         "data": {"candidate": {"name": "=HYPERLINK(\"x\")", "email": "jane@example.com"}}}]
    report.update(changes)
    return report


def _rows(tmp_path, rows: list[Row]) -> dict[str, dict]:
    path = write_summary(rows, load_rubric(), tmp_path / "summary.csv")
    with path.open(newline="") as fh:
        return {row["candidate_id"]: row for row in csv.DictReader(fh)}


def test_a_fail_names_the_rule_it_missed_and_the_candidate_is_named(tmp_path):
    report = _report()
    design = next(line for line in report["lines"] if line["id"] == "pipeline.design")
    design["level"] = 1
    report["score"].update(passed=False, rule={"min_total_pct": 50, "min_levels": {"pipeline.design": 2}})
    rows = _rows(tmp_path, [Row("a", "a", "graded", report=report), Row("b", "b.zip", "not_graded", error="bad")])
    assert rows["a"]["fail_reason"] == "pipeline.design 1 < 2"
    assert rows["a"]["candidate_email"] == "jane@example.com"
    assert rows["a"]["candidate_name"] == "'=HYPERLINK(\"x\")"  # candidate text never becomes a formula
    # booleans on every row; final_* equal the automated figures when no assessor changed anything
    assert (rows["a"]["passed"], rows["a"]["final_passed"]) == ("False", "False")
    assert rows["a"]["final_percent"] == rows["a"]["percent"]
    assert (rows["b"]["passed"], rows["b"]["final_passed"], rows["b"]["fail_reason"]) == (
        "False", "False", "not graded (not_graded)")


def test_interview_lines_are_empty_until_an_assessor_sets_them(tmp_path):
    report = _report()
    rows = _rows(tmp_path, [Row("a", "a", "graded", report=report)])
    assert {rows["a"][k] for k in rows["a"] if k.startswith("comm.")} == {""}
    assert "interview" not in rows["a"].values()


def test_the_readme_gives_the_candidates_name_and_email():
    from checks.readme import candidate_identity

    assert candidate_identity("# Title\n\n**Name:** Jane Tan  \n**Email:** jane.tan@example.com\n") == {
        "name": "Jane Tan", "email": "jane.tan@example.com"}
    assert candidate_identity("Author: Wei Ling Ong <wl.ong@mail.sg>\n")["name"] == "Wei Ling Ong"
    assert candidate_identity("| Name | Priya Nair |\n| Email | priya@x.com |")["name"] == "Priya Nair"
    assert candidate_identity("# A pipeline\nNo contact given.") == {"name": "", "email": ""}


def test_cohort_html_says_why_a_fail_failed_and_shows_no_verdict_for_ungraded_rows(tmp_path):
    from grader.reports.cohort import write_cohort_html

    report = _report()
    next(line for line in report["lines"] if line["id"] == "pipeline.design")["level"] = 1
    report["score"].update(passed=False, rule={"min_total_pct": 50, "min_levels": {"pipeline.design": 2}})
    rows = [Row("a", "a", "graded", report=report), Row("b", "b.zip", "not_graded", error="bad")]
    page = write_cohort_html(rows, load_rubric(), None, tmp_path, "t", {}).read_text()
    assert '<div class="why-fail">pipeline.design 1 &lt; 2</div>' in page
    assert page.count(">FAIL<") == 1  # the ungraded row has no verdict


def test_the_terminal_summary_fits_80_columns_and_cuts_reasons_only_between_words():
    from rich.console import Console

    from grader.reports.report import print_summary

    report = _report()
    summaries = {e["code"]: e["summary"] for e in report["evidence"]}
    console = Console(width=80, record=True, force_terminal=False)
    print_summary(report, console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    words = {word for summary in summaries.values() for word in summary.split()}
    cut = [line for line in text.splitlines() if "..." in line]
    assert cut, "some reasons are long enough to be shortened at 80 columns"
    for line in cut:  # the word before "..." is a whole word of the evidence, never a fragment
        before = line.split("...")[0].split("│")[-1].split()
        assert not before or before[-1] in words or before[-1].rstrip(";,") in words, line
    wide = Console(width=80, record=True, force_terminal=False)
    print_summary(report, wide, verbose=True)
    longest = max(summaries.values(), key=len)
    assert longest.split()[-1] in wide.export_text()  # -v: the whole reason
