"""Issue 15 item 3: the domain lives in the pack, not in the code.

No file of grader/ (except the mock pack's own folder), checks/ or sandbox/ names the mock test's domain
(deliveries, lateness, its dataset file) or a class balance; the interview brief and the improvements are
phrased from the submission's evidence and the round's pack (`report["pack"]`), whatever the task.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.reports.brief import MIN_QUESTIONS, improvements, interview_brief
from grader.rubric import SCORED, load_rubric

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("grader", "checks", "sandbox")
EXEMPT = ROOT / "grader" / "packs" / "mock"  # the mock pack's own words live there
DOMAIN = re.compile(r"\b(deliver\w*|late|lateness|deliveries\.db)\b|\d\d% (positive|late)", re.IGNORECASE)
SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
# Words of the mock round that must never reach another round's brief.
MOCK_WORDS = re.compile(r"deliver|\blate\b|dispatch|weather|on time|vehicle|region|23 ?%|delivery company",
                        re.IGNORECASE)


def _scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if (path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
                    and EXEMPT not in path.parents):
                files.append(path)
    return files


def _domain_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []  # binary files carry no prose
    return [f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
            for number, line in enumerate(text.splitlines(), 1) if DOMAIN.search(line)]


def test_no_domain_word_outside_the_mock_pack():
    files = _scanned_files()
    assert len(files) > 50, "the scan found too few files: wrong root?"
    found = [hit for path in files for hit in _domain_lines(path)]
    assert not found, "mock-domain words outside grader/packs/mock/ (put them in the pack):\n" + "\n".join(found)


def test_the_pattern_catches_what_it_must_and_spares_ordinary_words():
    for bad in ("predicts new deliveries", "late (1)", "LATENESS", "data/deliveries.db", "23% positive",
                "about 23% late", "the delivery company"):
        assert DOMAIN.search(bad), bad
    for fine in ("get_template", "isolate", "relates", "later", "latest", "translated", "calculate", "articulate",
                 "ZIP_DEFLATED", "interpolate", "accumulated"):
        assert not DOMAIN.search(fine), fine


# ---------------------------------------------------------------- the brief in the round's words


def _loc(path: str, line: int, snippet: str) -> dict:
    return {"path": path, "line": line, "snippet": snippet}


def _ev(code: str, locations: list[dict], metrics: dict | None = None, data: dict | None = None) -> dict:
    return {"code": code, "name": code.lower(), "lines": [], "status": "ok", "summary": "", "findings": [],
            "metrics": metrics or {}, "data": data or {}, "confidence": 0.7, "locations": locations}


def _line(line_id: str, level: int, checks: list[str]) -> dict:
    return {"id": line_id, "section": line_id.split(".")[0], "title": line_id, "status": SCORED, "level": level,
            "confidence": 0.7, "needs_review": False, "reason": "the check found little", "checks": checks,
            "weight": 1.0}


def _report(pack: dict, heldout: dict | None, accuracy_only: bool = False) -> dict:
    evidence = [
        _ev("PRE001", [_loc("src/clean.py", 12, 'missing: df["sleep_hours"] = df["sleep_hours"].fillna(0)'),
                       _loc("src/clean.py", 20, 'outliers: df = df[df["screen_minutes"] < 900]')]),
        _ev("SPL001", [_loc("src/train.py", 8, "X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y)")]),
        _ev("MET001", [_loc("src/train.py", 30, "print(accuracy_score(y_te, pred))")],
            metrics={"accuracy_only": accuracy_only},
            data={"metrics": ["accuracy_score"] if accuracy_only else ["f1_score", "recall_score"]}),
        _ev("MOD001", [_loc("src/train.py", 22, "RandomForestClassifier()")],
            data={"models": ["LogisticRegression", "RandomForestClassifier"]}),
    ]
    return {"pack": pack, "evidence": evidence, "runs": [], "heldout": heldout,
            "submission": {"layout": {"python_files": ["src/train.py"], "notebooks": ["eda.ipynb"]}},
            "lines": [_line("eda.visualisation", 0, ["EDA001"]), _line("model.metrics", 1, ["MET001"]),
                      _line("prep.feature_engineering", 1, ["FEA001"])]}


SESSIONS = {"id": "wellbeing-r2", "title": "Stress level", "task": "multiclass", "target": "stress",
            "dataset_file": "data/sessions.db", "table": "sessions", "positive_label": None,
            "classes": ["Low", "Moderate", "High"], "class_balance": {"Low": 0.5, "Moderate": 0.41, "High": 0.09},
            "heldout_mode": "predictions", "seen_data": False, "primary_metric": "macro_f1",
            "domain": {"subject": "sessions", "stakeholder": "the wellbeing team",
                       "decision": "offer a check-in call to students at risk"},
            "advice": {"eda.visualisation": "Plot stress level against sleep hours and screen minutes."}}


def test_a_multiclass_round_gets_its_own_words_and_none_of_the_mock():
    rubric = load_rubric()
    heldout = {"valid": True, "primary_metric": "macro_f1", "metrics": {"macro_f1": 0.61},
               "baselines": {"reference": {"macro_f1": 0.66}}, "summary": "held-out macro F1 0.61"}
    for accuracy_only in (True, False):
        brief = interview_brief(_report(SESSIONS, heldout, accuracy_only), rubric)
        text = "\n".join(q["question"] for q in brief)
        assert len(brief) >= MIN_QUESTIONS
        assert not MOCK_WORDS.search(text), text
        assert "`sleep_hours`" in text  # the missing-values question names the column from the evidence
        assert "new sessions" in text  # the outlier question: the pack's subject
        assert "macro F1 0.61" in text and "rows your pipeline never saw" in text and "0.66" in text
        assert "`High` (about 9% of rows)" in text  # the smallest class, from the class balance
        assert accuracy_only or "matters most to the wellbeing team when the model is used to offer a check-in" in text
        assert "positive class" not in text and "negative class" not in text
    advice = {item["line"]: item["advice"] for item in improvements(_report(SESSIONS, heldout), rubric)}
    assert advice["eda.visualisation"] == "Plot stress level against sleep hours and screen minutes."
    assert advice["model.metrics"] == rubric.line("model.metrics").advice  # no pack advice: the rubric's own
    assert not any(MOCK_WORDS.search(a) for a in advice.values()), advice


def test_a_binary_round_names_its_positive_class_and_share():
    pack = {**SESSIONS, "task": "binary", "positive_label": "yes", "classes": ["no", "yes"],
            "class_balance": {"no": 0.88, "yes": 0.12}, "primary_metric": "f1",
            "domain": {"positive_meaning": "the student dropped out"}}
    brief = interview_brief(_report(pack, None, accuracy_only=True), load_rubric())
    text = "\n".join(q["question"] for q in brief)
    assert "With about 12% of rows in the positive class `yes` (the student dropped out)" in text
    assert "new rows" in text  # neutral words without the pack's subject
    assert not MOCK_WORDS.search(text), text


@pytest.mark.parametrize("balance", [{}, {"no": 0.88}])
def test_without_a_usable_class_balance_no_share_is_invented(balance):
    pack = {**SESSIONS, "task": "binary", "positive_label": "yes", "class_balance": balance, "domain": {}}
    text = "\n".join(q["question"] for q in interview_brief(_report(pack, None, accuracy_only=True), load_rubric()))
    assert "You report accuracy only. What does a model that always predicts the most common class score" in text
    assert "%" not in text


def test_a_regression_round_asks_about_errors_never_about_classes():
    pack = {**SESSIONS, "task": "regression", "positive_label": None, "classes": [], "class_balance": {},
            "primary_metric": "rmse", "domain": {}, "advice": {}}
    heldout = {"valid": True, "primary_metric": "rmse", "metrics": {"rmse": 4.2}, "baselines": {"mean": {"rmse": 7}}}
    for accuracy_only in (True, False):
        text = "\n".join(q["question"] for q in interview_brief(_report(pack, heldout, accuracy_only), load_rubric()))
        assert "RMSE 4.20" in text and "always predicting the mean" in text
        for wrong in ("positive class", "negative class", "most common class", "precision against recall", "F1"):
            assert wrong not in text, (wrong, text)
        assert not MOCK_WORDS.search(text), text


def test_the_general_questions_use_the_rounds_words_or_neutral_ones():
    sparse = _report(SESSIONS, None)
    sparse["evidence"] = sparse["evidence"][:1]  # few findings: the two general questions fill the brief
    text = "\n".join(q["question"] for q in interview_brief(sparse, load_rubric()))
    assert "new sessions with unseen categories" in text
    assert "help the wellbeing team offer a check-in call to students at risk" in text
    old = {**sparse, "pack": {"id": "x", "title": "t"}}  # a report written before packs carried their words
    text = "\n".join(q["question"] for q in interview_brief(old, load_rubric()))
    assert "new rows with unseen categories" in text and "the needs of the business" in text
    assert not MOCK_WORDS.search(text), text
