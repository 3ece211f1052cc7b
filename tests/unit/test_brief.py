"""The interview brief and the candidate's three improvements are drawn from the evidence (issue 17).

- a question never suggests what the code already does (a separate 'unknown' category to code that makes one);
- quoted code is whole statements (or whole lines and an ellipsis), never cut mid-expression;
- an empty attempt is told to write run.sh and src/ first; a mid submission is never pointed at code that is right.

Two gradings of the samples in Docker are kept, trimmed, in tests/fixtures/reports/ (the brief reads only the
report); the empty attempts are graded here by the static checks.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from checks import CATALOGUE
from checks.context import CheckContext
from grader.intake.workspace import take_in
from grader.packs import Pack
from grader.reports.brief import improvements, interview_brief
from grader.rubric import SCORED, load_rubric, score
from tests.conftest import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
QUOTED = re.compile(r"`([^`]+)`")
PROGRAMMING = {"prog.readability", "prog.reusability", "prog.self_explanatory", "prog.exception_handling"}


def _stored(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _loc(path: str, line: int, snippet: str) -> dict:
    return {"path": path, "line": line, "snippet": snippet}


def _ev(code: str, locations: list[dict], summary: str = "", data: dict | None = None,
        findings: list[str] | None = None) -> dict:
    return {"code": code, "name": code.lower(), "lines": [], "status": "ok", "summary": summary,
            "findings": findings or [], "metrics": {}, "data": data or {}, "confidence": 0.7, "locations": locations}


def _line(line_id: str, level: int, checks: list[str]) -> dict:
    return {"id": line_id, "section": line_id.split(".")[0], "title": line_id, "status": SCORED, "level": level,
            "confidence": 0.7, "needs_review": False, "reason": "the check found little", "checks": checks,
            "weight": 1.0}


def _report(evidence: list[dict], excerpts: dict | None = None, lines: list[dict] | None = None) -> dict:
    return {"pack": {}, "evidence": evidence, "runs": [], "heldout": None, "excerpts": excerpts or {},
            "submission": {"layout": {"python_files": ["src/clean.py"], "notebooks": ["eda.ipynb"],
                                      "run_script": "run.sh"}},
            "lines": lines or [_line("prep.preprocessing", 1, ["PRE001"])]}


def _excerpt(first: int, lines: list[str]) -> list[list]:
    return [[first + n, text] for n, text in enumerate(lines)]


def _missing_question(statement: str) -> str:
    """The missing-values question asked of one statement at src/clean.py:12."""
    report = _report([_ev("PRE001", [_loc("src/clean.py", 12, f"missing: {statement}")])],
                     {"src/clean.py:12": _excerpt(10, ["def clean(df):", "    df = df.copy()", f"    {statement}",
                                                       "    return df"])})
    return next(q["question"] for q in interview_brief(report, load_rubric()) if "missing values" in q["question"])


@pytest.mark.parametrize("statement", [
    'df["weather"] = df["weather"].fillna("unknown")',
    'features["weather"] = features["weather"].fillna(MISSING_CATEGORY_LABEL)',
    'imputer = SimpleImputer(strategy="constant", fill_value="missing")',
    'df = df.fillna({"weather": "Unknown", "traffic": "none"})',
])
def test_code_that_makes_a_missing_category_is_not_asked_why_not_make_one(statement):
    question = _missing_question(statement)
    assert "category of their own" in question and f"`{statement}`" in question
    assert "'missing' indicator or category" not in question
    assert "dropping the rows" in question  # the alternatives it does not use are still asked about


def test_the_alternatives_offered_are_the_ones_the_code_does_not_use():
    median = _missing_question('df["distance_km"] = df["distance_km"].fillna(df["distance_km"].median())')
    assert "'missing' indicator or category" in median and "imputing the median" not in median
    assert "`distance_km`" in median
    dropped = _missing_question("df = df.dropna()")
    assert "dropping the rows" not in dropped and "'missing' indicator or category" in dropped


def test_the_stored_gradings_ask_about_a_category_only_where_the_code_has_none():
    cd_src = " ".join(q["question"] for q in interview_brief(_stored("cd_src"), load_rubric()))
    assert '`df["weather"] = df["weather"].fillna("unknown")`' in cd_src  # the sample's own statement
    assert "'missing' indicator or category" not in cd_src
    average = " ".join(q["question"] for q in interview_brief(_stored("average"), load_rubric()))
    assert "`df[col] = df[col].fillna(df[col].median())`" in average
    assert "'missing' indicator or category" in average


@pytest.mark.parametrize("name", ["average", "cd_src"])
def test_code_quoted_from_the_samples_is_whole_statements(name):
    questions = [q for q in interview_brief(_stored(name), load_rubric())
                 if any(re.search(r"\.py:\d+$", where) for where in q["evidence"])]
    quoted = [code for q in questions for code in QUOTED.findall(q["question"])]
    assert len(quoted) >= 3, questions
    for code in quoted:
        if not code.endswith(" …"):
            ast.parse(code)  # a SyntaxError here is code cut mid-expression
    split = next(q["question"] for q in questions if q["question"].startswith("You split the data"))
    assert re.search(r"= train_test_split\(X, y, .*stratify=y, .*\)`", split), split  # the call's closing bracket


def test_a_statement_is_quoted_from_its_first_line_when_the_location_is_inside_it():
    excerpt = _excerpt(20, ["    X = df.drop(columns=[target])",
                            "    X_train, X_test, y_train, y_test = train_test_split(",
                            "        X, y, test_size=0.2, stratify=y, random_state=7", "    )", "    return X_train"])
    inside = _loc("src/clean.py", 22, "X, y, test_size=0.2, stratify=y, random_state=7")
    report = _report([_ev("SPL001", [inside])],
                     {"src/clean.py:22": excerpt})
    question = next(q["question"] for q in interview_brief(report, load_rubric()) if "split the data" in q["question"])
    assert ("`X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=7)`"
            in question)


def test_an_argument_line_is_not_taken_for_a_statement_of_its_own():
    excerpt = _excerpt(19, ["    clipped = df.clip(", "        lower,", "        upper", "    )", "    return clipped"])
    report = _report([_ev("PRE001", [_loc("src/clean.py", 21, "outliers: upper")])], {"src/clean.py:21": excerpt})
    question = next(q["question"] for q in interview_brief(report, load_rubric()) if "outlier rule" in q["question"])
    assert "`clipped = df.clip(lower, upper)`" in question  # not `lower, upper`, which parses as a tuple


def test_a_statement_longer_than_the_excerpt_is_cut_after_whole_lines_with_an_ellipsis():
    lines = ["    # the split", "    X_train, X_test, y_train, y_test = train_test_split(", "        X, y,",
             "        test_size=cfg['split']['test_size'],", "        stratify=y,"]
    start = _loc("src/clean.py", 31, "X_train, X_test, y_train, y_test = train_test_split(")
    report = _report([_ev("SPL001", [start])], {"src/clean.py:31": _excerpt(30, lines)})
    question = next(q["question"] for q in interview_brief(report, load_rubric()) if "split the data" in q["question"])
    assert ("`X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=cfg['split']['test_size'], "
            "stratify=y, …`") in question


def test_code_that_cannot_be_quoted_whole_is_named_by_its_place():
    cut = "    rule = " + " & ".join(f"(df['c{n}'] > {n})" for n in range(30))  # over the excerpt's 200 characters
    report = _report([_ev("PRE001", [_loc("src/clean.py", 40, f"outliers: {cut.strip()[:150]}")])],
                     {"src/clean.py:40": _excerpt(40, [cut[:200]])})
    question = next(q["question"] for q in interview_brief(report, load_rubric()) if "outlier rule" in q["question"])
    assert "at src/clean.py:40" in question and "`" not in question


def test_the_notebook_conclusion_is_cut_after_a_whole_word():
    text = ("The late rate rises with traffic and distance, so both enter the model as they are, and the weather "
            "becomes a flag for the storms seen in the plots")
    snippet = text[:120]  # the check stores the markdown cut at 120 characters: "... the storms se"
    assert not text[120:].startswith(" ")
    report = _report([_ev("EDA003", [_loc("eda.ipynb", 30, snippet)])])
    question = next(q["question"] for q in interview_brief(report, load_rubric()) if "concludes" in q["question"])
    assert f'"{snippet.rsplit(" ", 1)[0]} …"' in question, question


# ---- the three improvements ------------------------------------------------------------------------------------

def _flagged_in_code(sample: str, where: str) -> None:
    """The sample's code at a `path:line (label: ...)` pointer has the problem the label names."""
    match = re.match(r"^(\S+\.py):(\d+) \((no docstring|error swallowed|module-level code): ", where)
    assert match, f"an unexpected pointer into the code: {where}"
    path, line, label = match.group(1), int(match.group(2)), match.group(3)
    tree = ast.parse((SAMPLES / sample / path).read_text(encoding="utf-8"))
    at = [node for node in ast.walk(tree) if getattr(node, "lineno", None) == line]
    if label == "no docstring":
        definition = next(n for n in at if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)))
        assert ast.get_docstring(definition) is None, where
    elif label == "error swallowed":
        handler = next(n for n in at if isinstance(n, ast.ExceptHandler))
        assert handler.type is None or all(isinstance(s, (ast.Pass, ast.Continue)) for s in handler.body), where
    else:
        assert any(stmt.lineno == line for stmt in tree.body), where


def test_a_mid_submission_is_pointed_at_its_gaps_not_at_code_that_is_right():
    report = _stored("average")
    items = improvements(report, load_rubric())
    assert [item["line"] for item in items] == ["prog.exception_handling", "model.tuning", "prog.self_explanatory"]
    where = {item["line"]: item["where"] for item in items}
    # its one specific handler (except FileNotFoundError) is right; the probes that crashed are the gap
    assert "handled:" not in where["prog.exception_handling"]
    assert where["prog.exception_handling"].startswith("robustness probe `empty_table`")
    assert "raw traceback" in where["prog.exception_handling"]
    # its model definitions are right; choosing between them on the test split is the gap
    assert where["model.tuning"].startswith("model selection on the test set")
    for item in items:
        if re.match(r"^\S+\.py:\d+ ", item["where"]):
            _flagged_in_code("average", item["where"])


def test_a_line_whose_evidence_shows_only_what_is_right_points_at_what_was_measured():
    handled = _ev("PRG004", [_loc("src/main.py", 23, "handled: except FileNotFoundError:")],
                  summary="1 specific handler(s), 0 error(s) raised with a message, 0 handler(s) that swallow errors")
    report = _report([handled], lines=[_line("prog.exception_handling", 1, ["PRG004", "PRB001"])])
    (item,) = improvements(report, load_rubric())
    assert item["where"].startswith("1 specific handler(s)") and "src/main.py:23" not in item["where"]
    swallowed = _ev("PRG004", [*handled["locations"], _loc("src/main.py", 40, "error swallowed: except:")])
    (item,) = improvements(_report([swallowed], lines=report["lines"]), load_rubric())
    assert item["where"] == "src/main.py:40 (error swallowed: except:)"


def test_a_practice_absent_altogether_points_at_where_it_is_to_be_added():
    models = _ev("MOD001", [_loc("src/model.py", 42, "m = DecisionTreeClassifier(random_state=1)")],
                 summary="1 model class(es) (DecisionTreeClassifier); the paper asks for 2; no hyper-parameter search")
    (item,) = improvements(_report([models], lines=[_line("model.tuning", 0, ["MOD001", "DYN001"])]), load_rubric())
    assert item["where"] == ("src/model.py:42 (1 model class(es) (DecisionTreeClassifier); the paper asks for 2; "
                             "no hyper-parameter search)")
    (item,) = improvements(_report([models], lines=[_line("model.tuning", 1, ["MOD001", "DYN001"])]), load_rubric())
    assert item["where"].startswith("1 model class(es)")  # at level 1 the located model may be the right part


def _graded_statically(folder: Path, pack: Pack, tmp_path: Path) -> dict:
    """The report the brief reads, from the static checks run here on `folder` (nothing of it is executed)."""
    ws = take_in(folder, tmp_path / "intake")
    ctx = CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
                       run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
                       dataset_file=pack.dataset_file, dataset_columns=pack.columns, target=pack.target,
                       settings={"min_models": pack.min_models, "heldout_mode": pack.heldout_mode, "task": pack.task})
    found = {check_class.code: check_class()(ctx) for check_class in CATALOGUE}
    result = score(load_rubric(), found, pack.pass_rule, pack.weights)
    evidence = [{"code": e.code, "name": e.name, "status": e.status, "summary": e.summary, "metrics": e.metrics,
                 "findings": e.findings, "data": e.data, "confidence": e.confidence,
                 "locations": [{"path": loc.path, "line": loc.line, "snippet": loc.snippet} for loc in e.locations]}
                for e in found.values()]
    return {"submission": {"layout": ws.layout()}, "pack": pack.summary(), "runs": [], "heldout": None,
            "excerpts": {}, "evidence": evidence, "lines": [asdict(line) for line in result.lines]}


def test_an_empty_attempt_is_told_to_write_run_sh_and_src_first(tmp_path, mock_pack):
    folder = tmp_path / "attempt"
    folder.mkdir()
    (folder / "README.md").write_text("# My attempt\n\nI ran out of time.\n", encoding="utf-8")
    items = improvements(_graded_statically(folder, mock_pack, tmp_path), load_rubric())
    first = items[0]
    assert first["line"] == "pipeline.design" and first["level"] == 0
    assert "`run.sh`" in first["advice"] and "`src/`" in first["advice"] and "notebook" in first["advice"]
    assert first["where"] == "missing from the submission: run.sh, src/*.py, *.ipynb"
    assert len(items) == 3 and not PROGRAMMING & {item["line"] for item in items}  # no code to tidy yet
    assert not any("pylint" in item["advice"] + item["where"] for item in items)


def test_an_attempt_with_only_a_notebook_is_told_to_write_the_pipeline(tmp_path, mock_pack):
    folder = tmp_path / "attempt"
    folder.mkdir()
    cell = {"cell_type": "markdown", "id": "c1", "metadata": {}, "source": ["# EDA\n", "Late rate by hour."]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "eda.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    first = improvements(_graded_statically(folder, mock_pack, tmp_path), load_rubric())[0]
    assert first["line"] == "pipeline.design" and "`run.sh`" in first["advice"] and "`src/`" in first["advice"]
    assert "notebook" not in first["advice"] and first["where"].endswith("run.sh, src/*.py")


def test_a_complete_submission_gets_no_missing_parts_advice():
    items = improvements(_stored("cd_src"), load_rubric())
    assert items and not any(item["advice"].startswith("Write what is missing") for item in items)


@pytest.mark.parametrize("name", ["average", "cd_src"])
def test_no_question_quotes_the_rubrics_rule_syntax(name):
    """The panel reads questions aloud: `PRB001.clean_errors >= 1` is the grader's language, not the candidate's."""
    report = _stored(name)
    rule_syntax = re.compile(r"\b[A-Z]{3}\d{3}\.\w+\s*(>=|<=|==|>|<)")
    questions = interview_brief(report, load_rubric())
    assert any("weakest line" in q["question"] for q in questions)
    assert [q["question"] for q in questions if rule_syntax.search(q["question"])] == []


def test_a_report_with_no_usable_evidence_still_gets_six_questions():
    """E.g. the static phase could not run: the schema asks for 6-10 questions, general ones fill up."""
    report = _report([], lines=[])
    questions = interview_brief(report, load_rubric())
    assert 6 <= len(questions) <= 10
    assert len({q["question"] for q in questions}) == len(questions)
    assert {q["line"] for q in questions} >= {"comm.eda", "comm.data_prep", "comm.model_design", "comm.pipeline"}
