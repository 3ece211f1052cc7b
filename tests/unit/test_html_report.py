"""report.html and cohort.html: printing, the plain-words "why", override instructions, charts, escaping.

They render a stored report (tests/fixtures/html/average_report.json, trimmed from a Docker grading of
sample_submissions/average); tests/integration/test_html_report_browser.py opens the graded samples in chromium.
"""

from __future__ import annotations

import copy
import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checks.base import Evidence
from grader.reports.cohort import Row, cohort_view, write_cohort_html
from grader.reports.html import (
    WhyReader,
    first_use,
    heldout_bars,
    heldout_chart,
    meaning,
    print_tail,
    render,
    write_html,
)
from grader.rubric import load_rubric, score

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "average_report.json"
RULE_SYNTAX = re.compile(r"\b[A-Z]{3}\d{3}\.\w+\s*(>=|<=|==|!=|>|<)")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture
def report() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


class _Blocks(HTMLParser):
    """The text inside elements with a given class (nested ones included), and inside <details> elements."""

    def __init__(self, cls: str) -> None:
        super().__init__()
        self.cls, self.stack, self.text, self.in_details = cls, [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, self.cls in classes))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(flag for _, flag in self.stack):
            self.text.append(data)
        if any(tag == "details" for tag, _ in self.stack):
            self.in_details.append(data)


def _blocks(page: str, cls: str) -> _Blocks:
    parser = _Blocks(cls)
    parser.feed(page)
    return parser


def _article(page: str, line_id: str) -> str:
    start = page.index(f'id="line-{line_id}"')
    return page[start:page.index("</article>", start)]


def _rescored(report: dict) -> dict:
    """The fixture's lines scored again by the current rubric, so a report the rubric's version matches."""
    rubric = load_rubric()
    evidence = {e["code"]: Evidence(code=e["code"], name=e["name"], lines=tuple(e["lines"]), status=e["status"],
                                    summary=e["summary"], metrics=e["metrics"], confidence=e["confidence"])
                for e in report["evidence"]}
    result = score(rubric, evidence, report["score"]["rule"])
    report["lines"] = [{"id": s.id, "section": s.section, "title": s.title, "status": s.status, "level": s.level,
                        "confidence": s.confidence, "needs_review": s.needs_review, "reason": s.reason,
                        "checks": s.checks, "weight": s.weight} for s in result.lines]
    report["pack"]["rubric_version"] = rubric.version
    return report


# --- print --------------------------------------------------------------------------------------------------------


def test_print_stylesheet_sets_a4_and_keeps_rows_and_excerpts_whole(report, tmp_path):
    page = render(report, tmp_path)
    page_rule = re.search(r"@page\s*\{[^}]*size:\s*A4", page)
    assert page_rule, "the page must print on A4"
    css = page[page.index("@media print"):page.index("</style>")]
    rules = {selector.strip(): body for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
             for selector in selectors.split(",")}
    for selector in ("tr", ".line-top", ".loc", "figure", ".brief li"):
        assert "break-inside: avoid" in rules.get(selector, ""), selector
    assert re.search(r"details\.fold[^{]*\{[^}]*display:\s*none", css)  # collapsed blocks replaced in print...
    assert re.search(r"\.print-only\s*\{[^}]*display:\s*block", css)  # ...by their always-open copies
    assert re.search(r"nav\.toc[^{]*\{[^}]*display:\s*none", css)
    assert "<script" not in page and not re.search(r"""(src|href)=["']https?://""", page)


def test_every_excerpt_and_log_is_in_the_printed_content(report, tmp_path):
    page = render(report, tmp_path)
    printed = "".join(_blocks(page, "print-only").text)
    cited = {f"{loc['path']}:{loc['line']}" for e in report["evidence"] for loc in e["locations"][:8]
             if any(e["code"] in line["checks"] for line in report["lines"])}
    shown = [key for key in report["excerpts"] if key in cited]
    assert len(shown) >= 20
    for key in shown:
        hit = next(text for number, text in report["excerpts"][key] if f"{key.rsplit(':', 1)[0]}:{number}" == key)
        assert hit.strip() in printed, key
    submitted = report["runs"][0]["stdout_tail"].strip().splitlines()[-1]
    assert submitted in printed and "Held-out evaluation" not in printed  # only the folded blocks are print-only


def test_the_brief_comes_right_after_the_summary(report, tmp_path):
    page = render(report, tmp_path)
    order = [page.index(f'<section id="{name}"') for name in ("summary", "brief", "heldout", "lines", "runs")]
    assert order == sorted(order)


def test_a_check_cited_by_several_lines_prints_its_evidence_once(report, tmp_path):
    lines = report["lines"]
    first = first_use(lines)
    assert first["DYN001"] == next(line["id"] for line in lines if "DYN001" in line["checks"])
    page = render(report, tmp_path)
    later = next(line["id"] for line in lines if "DYN001" in line["checks"] and line["id"] != first["DYN001"])
    assert "findings and excerpts printed under" in _article(page, later)


def test_a_printed_log_keeps_its_end():
    text = "\n".join(f"line {n}" for n in range(100))
    tail = print_tail(text)
    assert tail["clipped"] and tail["text"].endswith("line 99") and "line 50" not in tail["text"]
    assert print_tail("ok\n") == {"text": "ok", "clipped": False} and print_tail(None)["text"] == ""


# --- the plain-words why ------------------------------------------------------------------------------------------


def test_each_line_leads_with_plain_words_and_keeps_the_rule_one_click_away(report, tmp_path):
    page = render(report, tmp_path)
    scored = [line for line in report["lines"] if line["status"] == "scored"]
    for line in scored:
        article = _article(page, line["id"])
        why = article[article.index('<div class="why">'):article.index("</div>", article.index('<div class="why">'))]
        assert f"Level {line['level']}" in why and not RULE_SYNTAX.search(why), line["id"]
        rule = article.index('<code class="rule">')
        assert article.index(f"Level {line['level']}") < article.index("the rule as scored") < rule, line["id"]
        assert escape(line["reason"]) in article[rule:], line["id"]
    readability = _article(page, "prog.readability")
    assert "pylint&#39;s score 0-10 on the measured files: 9.7 (needs at least 8.5)" in readability


def test_the_why_names_what_the_next_level_lacks_in_words(report):
    report = _rescored(report)
    reader = WhyReader(report, load_rubric())
    lacking = 0
    for line in report["lines"]:
        if line["status"] != "scored" or line["level"] == 3 or line["reason"].startswith("capped"):
            continue
        why = reader.why(line)
        assert why.missed_label == f"Level {line['level'] + 1} not reached", line["id"]
        assert why.missed and all(item.ok is False for item in why.missed), line["id"]
        assert not any(RULE_SYNTAX.search(item.text) for item in why.missed + why.met)
        lacking += 1
    assert lacking >= 5


def test_a_capped_or_undecided_reason_is_read_into_words(report):
    reader = WhyReader(report, load_rubric())
    line = {"id": "prep.preprocessing", "status": "scored", "level": 1,
            "reason": "capped at 1: preprocessing is fitted before the train/test split (leakage) "
                      "(level 2: PRE001.bullets >= 2); near a boundary: only just at level 2: PRE001.bullets >= 2; "
                      "out of profile: level 1 against a mean of 2.3 on the other lines"}
    why = reader.why(line)
    assert why.headline == "Level 1 (developing), capped"
    assert why.notes[0] == "Capped at level 1: preprocessing is fitted before the train/test split (leakage)"
    assert why.met[0].text.startswith("preprocessing bullets applied in code") and why.met[0].ok
    assert why.notes[1].startswith("Near a level boundary: only just at level 2: preprocessing bullets")
    assert why.notes[2].startswith("Out of the submission's profile") and "mean of 2.3" in why.notes[2]
    assert why.rule == line["reason"]
    override = reader.why({"id": "prog.readability", "status": "scored", "level": 2,
                           "reason": "assessor override by A. Tan: fine"})
    assert override.headline == "Level 2, set by the assessor" and not override.rule


def test_metric_meanings_come_from_the_checks_declarations():
    assert meaning("PRE001", "bullets").startswith("preprocessing bullets applied in code")
    assert meaning("FEA001", "derived_features") == "new columns derived that are not in the dataset"
    assert meaning("HLD001", "recall_late").startswith("multi-class: recall")  # a declared family
    assert meaning("JUS001", "outliers").startswith("written reason for the outliers choice")
    assert meaning("ZZZ999", "odd_metric") == "ZZZ999 odd metric"


# --- override instructions ----------------------------------------------------------------------------------------


def test_override_instructions_name_no_absolute_path_and_keep_communication_outside_the_total(report, tmp_path):
    folder = tmp_path / "reports" / "average"
    page = write_html(report, folder).read_text(encoding="utf-8")
    section = page[page.index('<section id="overrides">'):]
    assert str(folder) not in page and str(tmp_path) not in page
    assert "grader review . --line LINE_ID" in section and "grader finalize ." in section
    assert "the folder that holds this report" in section
    assert "comm.eda" in section and "outside the automated total" in section


# --- charts -------------------------------------------------------------------------------------------------------


def test_the_heldout_chart_is_matplotlib_svg_of_the_primary_metric(report):
    bars = heldout_bars(report["heldout"])
    assert [b.label for b in bars][:2] == ["this submission", "majority class"]
    assert bars[0].value == pytest.approx(report["heldout"]["metrics"]["f1"])
    svg = heldout_chart(report["heldout"])
    assert svg.startswith("<svg") and "Matplotlib" in svg and "held-out f1 (higher is better)" in svg
    held = {"valid": True, "primary_metric": "rmse", "metrics": {"rmse": 1.4}, "baselines": {"mean": {"rmse": 2.3}}}
    assert "lower is better" in heldout_chart(held) and heldout_chart({"valid": False}) == ""


def _rows(report: dict) -> list[Row]:
    weaker = copy.deepcopy(report)
    weaker["score"].update(percent=40.0, passed=False)
    return [Row("average", "average", "graded", report=report, report_path="submissions/average/report.html"),
            Row("weaker", "weaker", "graded", report=weaker), Row("late.rar", "late.rar", "rejected", error="no")]


def test_cohort_histograms_come_from_matplotlib_with_axes_and_a_pass_mark(report):
    view = cohort_view(_rows(report), load_rubric(), None, "Mock", {"f1": 0.638})
    totals = str(view["totals"]["svg"])
    assert totals.startswith("<svg") and "Matplotlib" in totals and "<?xml" not in totals
    assert "pass mark 50%" in totals and "submissions" in totals and "total (% of the automated maximum)" in totals
    assert "reference 0.638" in str(view["metric"]["svg"])
    ids = re.findall(r'\bid="([^"]+)"', "".join(str(s["svg"]) for s in view["sections"]) + totals)
    assert len(ids) == len(set(ids))  # several charts share one page


def test_no_histogram_panel_for_the_interview_only_section(report, tmp_path):
    rubric = load_rubric()
    view = cohort_view(_rows(report), rubric, None, "Mock", {})
    assert [s["id"] for s in view["sections"]] == [s.id for s in rubric.sections if s.id != "comm"]
    page = write_cohort_html(_rows(report), rubric, None, tmp_path, "Mock", {}).read_text(encoding="utf-8")
    charts = page[page.index("Sections (mean level"):page.index("Failures (")]
    assert "Communication (interview only)" not in charts and charts.count('class="chart"') == 5


def test_cohort_table_headers_carry_the_full_line_ids_and_a_legend(report, tmp_path):
    rubric = load_rubric()
    page = write_cohort_html(_rows(report), rubric, None, tmp_path, "Mock", {}).read_text(encoding="utf-8")
    table = page[page.index("All submissions"):]
    for line in rubric.lines:
        assert f"<span>{line.id}</span>" in table and f'title="{line.id}: {line.title}"' in table, line.id
        assert f"<code>{line.id}</code> {line.title}" in table
    assert ">scopin<" not in table and 'class="scroll"' in table


# --- hostile text -------------------------------------------------------------------------------------------------


def test_candidate_text_is_escaped_in_both_pages(report, tmp_path):
    report["submission"]["name"] = HOSTILE
    report["interview_brief"][0]["question"] = HOSTILE
    report["runs"][0]["stdout_tail"] = HOSTILE
    evidence = next(e for e in report["evidence"] if e["locations"])
    evidence["findings"] = [HOSTILE]
    evidence["locations"][0]["snippet"] = HOSTILE
    key = f"{evidence['locations'][0]['path']}:{evidence['locations'][0]['line']}"
    if key in report["excerpts"]:
        report["excerpts"][key][0][1] = HOSTILE
    report["evidence"][0]["metrics"]["score"] = HOSTILE  # shown in the plain-words why
    report["lines"][0]["reason"] = f"assessor override by {HOSTILE}: {HOSTILE}"
    page = render(report, tmp_path)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 6
    rows = [Row(HOSTILE, HOSTILE, "graded", report=report, report_path="submissions/x/report.html"),
            Row("b" + HOSTILE, "b", "not_graded", error=HOSTILE)]
    cohort = write_cohort_html(rows, load_rubric(), None, tmp_path, HOSTILE, {}).read_text(encoding="utf-8")
    assert "<script>alert" not in cohort and "<img src=x" not in cohort and "&lt;script&gt;" in cohort
