"""Views drawn from one submission's own choices: the assessor's interview brief (Communication,
Annex A1 section 6) and the candidate's three most valuable improvements.

Every domain word comes from the submission's evidence or from the round's pack (`report["pack"]`: task,
class balance, positive label, `domain` words, `advice`); without them the wording stays neutral."""

from __future__ import annotations

import re
from collections.abc import Callable

from grader.rubric import SCORED, Rubric

MIN_QUESTIONS, MAX_QUESTIONS = 6, 10
METRIC_NAMES = {"f1": "F1", "macro_f1": "macro F1", "rmse": "RMSE", "mae": "MAE", "r2": "R²",
                "accuracy": "accuracy", "balanced_accuracy": "balanced accuracy", "roc_auc": "ROC AUC"}
STRATEGY_WORDS = {"mean": "the mean", "median": "the median", "most_frequent": "the most frequent value",
                  "constant": "a constant"}
# A column named in code: df["col"], df['col'], subset=["col", ...]
_COLUMN = re.compile(r"""\[\s*['"]([^'"\[\]]{1,60})['"]\s*[\],]|subset\s*=\s*\[?\s*['"]([^'"]{1,60})['"]""")

Question = dict


def _evidence(report: dict) -> dict[str, dict]:
    return {e["code"]: e for e in report["evidence"]}


def _where(location: dict) -> str:
    return f"{location['path']}:{location['line']}" if location.get("line") else location["path"]


def _located(ev: dict | None, prefix: str) -> list[dict]:
    if not ev:
        return []
    return [loc for loc in ev["locations"] if loc["snippet"].startswith(prefix)]


def _code(snippet: str) -> str:
    return snippet.split(": ", 1)[-1].strip()


def _question(line: str, question: str, evidence: list[str]) -> Question:
    return {"line": line, "question": question, "evidence": evidence}


def _pack(report: dict) -> dict:
    return report.get("pack") or {}


def _word(pack: dict, key: str, neutral: str) -> str:
    """One of the round's own words (pack `domain` table), or a neutral one."""
    return str((pack.get("domain") or {}).get(key) or neutral)


def _percent(share: float) -> str:
    share = float(share)
    return f"{round(share * 100 if share <= 1 else share)}%"


def _column(code: str) -> str | None:
    match = _COLUMN.search(code)
    return (match.group(1) or match.group(2)) if match else None


def _missing_question(ev: dict[str, dict], report: dict) -> Question | None:
    missing = _located(ev.get("PRE001"), "missing:")
    if not missing:
        return None
    named = [(loc, _column(_code(loc["snippet"]))) for loc in missing]
    loc, column = next(((loc, col) for loc, col in named if col), (missing[0], None))
    code = _code(loc["snippet"])
    strategy = re.search(r"strategy\s*=\s*['\"](\w+)", code)
    how = (f"with {STRATEGY_WORDS.get(strategy.group(1), 'the ' + strategy.group(1))}" if strategy
           else f"with `{code[:100]}`")
    target = f"`{column}`" if column else "the columns it applies to"
    return _question("comm.data_prep", f"You handle missing values {how}. Why this choice for {target}, and "
                     "what else did you consider (dropping the rows, a 'missing' indicator or category)?",
                     [_where(loc)])


def _outlier_question(ev: dict[str, dict], report: dict) -> Question | None:
    outliers = _located(ev.get("PRE001"), "outliers:")
    if not outliers:
        return None
    subject = _word(_pack(report), "subject", "rows")
    return _question("comm.data_prep", f"Your outlier rule is `{_code(outliers[0]['snippet'])[:80]}`. How did you "
                     f"choose the bound, and what happens to such rows when the model predicts new {subject}?",
                     [_where(outliers[0])])


def _leak_question(ev: dict[str, dict], report: dict) -> Question | None:
    leaks = (ev.get("PRE002") or {}).get("locations", [])
    if not leaks:
        return None
    return _question("comm.data_prep", f"At {_where(leaks[0])} a transformer is fitted before the train/test split. "
                     "What does your test score measure then, and how would you restructure it?",
                     [_where(loc) for loc in leaks[:3]])


def _split_question(ev: dict[str, dict], report: dict) -> Question | None:
    split = (ev.get("SPL001") or {}).get("locations", [])
    if not split:
        return None
    return _question("comm.data_prep", f"You split the data with `{split[0]['snippet'][:80]}`. Why this strategy "
                     "and ratio, and how do you keep the final test estimate unbiased?", [_where(split[0])])


def _balance_lead(pack: dict) -> str:
    """'With about N% of rows in the positive class `<label>` (...), ' from the pack's class balance, or ''."""
    balance = pack.get("class_balance") or {}
    if not balance:
        return ""
    if pack.get("task") == "multiclass":
        return f"With the smallest class {_smallest_class(balance)}, "
    positive = pack.get("positive_label")
    if positive is None or str(positive) not in {str(k) for k in balance}:
        return ""
    share = next(v for k, v in balance.items() if str(k) == str(positive))
    meaning = _word(pack, "positive_meaning", "")
    return (f"With about {_percent(share)} of rows in the positive class `{positive}`"
            + (f" ({meaning})" if meaning else "") + ", ")


def _smallest_class(balance: dict) -> str:
    """'`Low` (about 8% of rows)': the rarest class of a class balance."""
    smallest, share = min(balance.items(), key=lambda item: float(item[1]))
    return f"`{smallest}` (about {_percent(share)} of rows)"


def _accuracy_only_text(pack: dict) -> str:
    better = "macro F1 or per-class recall" if pack.get("task") == "multiclass" else "F1 of the positive class"
    tail = (f"what does a model that always predicts the most common class score, and which metric (e.g. {better}) "
            "would you use instead?")
    lead = _balance_lead(pack)
    if lead:
        return f"You report accuracy only. {lead}{tail}"
    return f"You report accuracy only. {tail[:1].upper()}{tail[1:]}"


def _use_clause(pack: dict) -> str:
    """'to <stakeholder> when the model is used to <decision>' in the round's words, or 'to the business'."""
    stakeholder = _word(pack, "stakeholder", "the business")
    decision = _word(pack, "decision", "")
    return f"to {stakeholder}" + (f" when the model is used to {decision}" if decision else "")


def _metric_question(ev: dict[str, dict], report: dict) -> Question | None:
    metrics = ev.get("MET001")
    if not metrics or metrics["status"] != "ok":
        return None
    pack = _pack(report)
    where = [_where(loc) for loc in metrics["locations"][:3]]
    names = ", ".join((metrics.get("data") or {}).get("metrics") or [])
    if pack.get("task") == "regression":
        return _question("comm.model_design", "How do you measure your model's error (RMSE, MAE, R²), which "
                         f"measure matters most {_use_clause(pack)}, and how much better is your model than always "
                         "predicting the mean?", where or ["README.md"])
    if metrics["metrics"].get("accuracy_only"):
        return _question("comm.model_design", _accuracy_only_text(pack), where[:2])
    if not names:
        return None
    if pack.get("task") == "multiclass":
        balance = pack.get("class_balance") or {}
        rare = "the rarer classes" + (f" such as {_smallest_class(balance)}" if balance else "")
        return _question("comm.model_design", f"You evaluate with {names}. Which one matters most "
                         f"{_use_clause(pack)}, and how do you check that {rare} are predicted well (per-class "
                         "recall, macro averaging)?", where)
    return _question("comm.model_design", f"You evaluate with {names}. Which one matters most {_use_clause(pack)}, "
                     "and how does the decision threshold trade precision against recall here?", where)


def _model_question(ev: dict[str, dict], report: dict) -> Question | None:
    models = ev.get("MOD001")
    if not (models and (models.get("data") or {}).get("models")):
        return None
    names = ", ".join(models["data"]["models"])
    return _question("comm.model_design", f"You trained {names}. Why did you choose the final model, and what are "
                     "its main drawbacks for this problem (bias/variance, explainability)?",
                     [_where(loc) for loc in models["locations"][:3]])


def _feature_question(ev: dict[str, dict], report: dict) -> Question | None:
    features = ev.get("FEA001")
    if not (features and (features.get("data") or {}).get("derived")):
        return None
    derived = ", ".join(f"`{name}`" for name in features["data"]["derived"][:6])
    return _question("comm.data_prep", f"You derived {derived}. Which of them improved the model, and how did you "
                     "measure it?", [_where(loc) for loc in features["locations"][:3]])


def _insight_question(ev: dict[str, dict], report: dict) -> Question | None:
    insights = ev.get("EDA003")
    if not (insights and insights["locations"]):
        return None
    loc = insights["locations"][-1]  # the last summary / conclusion cell
    return _question("comm.eda", f"Your notebook concludes: \"{loc['snippet'][:90]}\". Which finding changed your "
                     "pipeline most, and how?", [_where(loc)])


def _run_question(ev: dict[str, dict], report: dict) -> Question | None:
    run = report["runs"][0] if report["runs"] else None
    if not run or run["status"] == "completed":
        return None
    last = ((run["stderr_tail"] or run["stdout_tail"]).strip().splitlines() or ["(no output)"])[-1]
    return _question("comm.pipeline", f"Your pipeline stopped ({run['status']}): `{last[:100]}`. What caused it, and "
                     "how would your pipeline detect and report such a problem?",
                     [f"run log of `{' '.join(run['command'])}`"])


def _heldout_question(ev: dict[str, dict], report: dict) -> Question | None:
    held = report.get("heldout") or {}
    if not held.get("valid"):
        return None
    metric = held.get("primary_metric") or _pack(report).get("primary_metric") or "f1"
    value = (held.get("metrics") or {}).get(metric)
    if value is None:
        return None
    reference = ((held.get("baselines") or {}).get("reference") or {}).get(metric)
    name = METRIC_NAMES.get(metric, metric)
    return _question("comm.pipeline", f"On rows your pipeline never saw it scored {name} {value:.2f}"
                     + (f" (the reference pipeline: {reference:.2f})" if reference is not None else "")
                     + ". How would you monitor this in production, and what would make you retrain?",
                     [held.get("summary", "held-out scoring")])


def _weakest_question(report: dict, rubric: Rubric) -> Question | None:
    weakest = _weakest(report, rubric)
    if not weakest or weakest["level"] >= 3:
        return None
    line = "comm.pipeline" if weakest["section"] == "pipeline" else f"comm.{_comm_for(weakest['section'])}"
    return _question(line, f"The weakest line of your submission is {weakest['title']} (level {weakest['level']}): "
                     f"{weakest['reason'][:120]}. Walk us through how you would improve it.", [weakest["id"]])


def _fallback_questions(pack: dict) -> list[Question]:
    """Two general questions, in the round's words when the pack has them."""
    subject = _word(pack, "subject", "rows")
    stakeholder = _word(pack, "stakeholder", "")
    decision = _word(pack, "decision", "")
    if stakeholder and decision:
        purpose = f"help {stakeholder} {decision}"
    elif decision:
        purpose = f"help to {decision}"
    else:
        purpose = f"address the needs of {stakeholder or 'the business'} stated in the paper"
    return [
        _question("comm.pipeline", "How is your workflow designed from data ingestion to predictions, and where "
                  f"would it break first when the data changes (new {subject} with unseen categories, missing or "
                  "renamed columns, shifted values)?", ["run.sh", "src/"]),
        _question("comm.model_design", f"How does your solution {purpose}, and what would you need to deploy it?",
                  ["README.md"]),
    ]


BUILDERS: tuple[Callable[[dict[str, dict], dict], Question | None], ...] = (
    _missing_question, _outlier_question, _leak_question, _split_question, _metric_question, _model_question,
    _feature_question, _insight_question, _run_question, _heldout_question)


def interview_brief(report: dict, rubric: Rubric) -> list[dict]:
    """6-10 questions for the interview, each naming the evidence (file:line) it comes from."""
    ev = _evidence(report)
    questions = [q for q in (build(ev, report) for build in BUILDERS) if q]
    weakest = _weakest_question(report, rubric)
    if weakest:
        questions.append(weakest)
    if len(questions) < MIN_QUESTIONS:
        questions += _fallback_questions(_pack(report))
    return questions[:MAX_QUESTIONS]


def _comm_for(section: str) -> str:
    return {"prog": "pipeline", "eda": "eda", "prep": "data_prep", "model": "model_design"}.get(section, "pipeline")


def _weakest(report: dict, rubric: Rubric) -> dict | None:
    scored = [line for line in report["lines"] if line["status"] == SCORED]
    if not scored:
        return None
    return min(scored, key=lambda line: (line["level"], -line["weight"]))


def improvements(report: dict, rubric: Rubric, count: int = 3) -> list[dict]:
    """The most valuable things to improve: the biggest weighted gaps, each with where to look."""
    ev = _evidence(report)
    gaps = sorted((line for line in report["lines"] if line["status"] == SCORED and line["level"] < 3),
                  key=lambda line: (-(3 - line["level"]) * line["weight"], line["level"]))
    advice = _pack(report).get("advice") or {}  # the round's own advice wins over the rubric's neutral one
    out = []
    for line in gaps[:count]:
        where = _pointer(line, ev, report["submission"].get("layout"))
        out.append({"line": line["id"], "level": line["level"],
                    "advice": advice.get(line["id"]) or rubric.line(line["id"]).advice, "where": where})
    return out


README_SECTION_FOR = {"eda.insights": "eda_findings", "prep.feature_engineering": "feature_processing",
                      "prep.preprocessing": "feature_processing", "model.training": "model_choice",
                      "model.metrics": "evaluation", "model.scoping": "other_considerations",
                      "pipeline.design": "how_to_run", "pipeline.environment": "folder_structure"}


def _pointer(line: dict, ev: dict[str, dict], layout: dict | None = None) -> str:
    """A file:line, or a missing README section, for one line's gap."""
    section = README_SECTION_FOR.get(line["id"])
    readme = ev.get("DOC001") or {}
    if section and f"README section missing: {section}" in readme.get("findings", []):
        return f"README section missing: {section}"
    for code in line["checks"]:
        pointer = _evidence_pointer(ev.get(code))
        if pointer:
            return pointer
    layout = layout or {}
    if line["section"] == "eda" and layout.get("notebooks"):
        return f"{layout['notebooks'][0]} (the notebook's markdown)"
    if layout.get("python_files"):
        return f"{layout['python_files'][0]} (the pipeline code)"
    return "README.md"


def _evidence_pointer(item: dict | None) -> str | None:
    """Where one check's evidence points: a missing README section, a file:line, or its first finding."""
    if not item:
        return None
    missing_sections = [f for f in item["findings"] if f.startswith("README section missing")]
    if missing_sections:
        return missing_sections[0]
    for loc in item["locations"]:
        if loc.get("line"):
            return f"{_where(loc)} ({loc['snippet'][:60]})"
    return item["findings"][0][:120] if item["findings"] else None
