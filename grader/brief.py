"""Views drawn from one submission's own choices: the assessor's interview brief (Communication,
Annex A1 section 6) and the candidate's three most valuable improvements."""

from __future__ import annotations

import re

from grader.rubric import SCORED, Rubric

MIN_QUESTIONS, MAX_QUESTIONS = 6, 10


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


def interview_brief(report: dict, rubric: Rubric) -> list[dict]:
    """6-10 questions for the interview, each naming the evidence (file:line) it comes from."""
    ev = _evidence(report)
    questions: list[dict] = []

    def ask(line: str, question: str, evidence: list[str]) -> None:
        questions.append({"line": line, "question": question, "evidence": evidence})

    missing = _located(ev.get("PRE001"), "missing:")
    if missing:
        code = _code(missing[0]["snippet"])
        strategy = re.search(r"strategy\s*=\s*['\"](\w+)", code)
        how = f"with the {strategy.group(1)}" if strategy else f"with `{code[:100]}`"
        ask("comm.data_prep", f"You handle missing values {how}. Why this choice for columns such as `weather` "
            "(10% missing), and why not a separate 'unknown' category?", [_where(missing[0])])
    outliers = _located(ev.get("PRE001"), "outliers:")
    if outliers:
        ask("comm.data_prep", f"Your outlier rule is `{_code(outliers[0]['snippet'])[:80]}`. How did you choose the "
            "bound, and what happens to such rows when the model predicts new deliveries?", [_where(outliers[0])])
    leaks = (ev.get("PRE002") or {}).get("locations", [])
    if leaks:
        ask("comm.data_prep", f"At {_where(leaks[0])} a transformer is fitted before the train/test split. What "
            "does your test score measure then, and how would you restructure it?", [_where(loc) for loc in leaks[:3]])
    split = (ev.get("SPL001") or {}).get("locations", [])
    if split:
        ask("comm.data_prep", f"You split the data with `{split[0]['snippet'][:80]}`. Why this strategy and ratio, "
            "and how do you keep the final test estimate unbiased?", [_where(split[0])])
    metrics = ev.get("MET001")
    if metrics and metrics["status"] == "ok":
        if metrics["metrics"].get("accuracy_only"):
            ask("comm.model_design", "You report accuracy only. With about 23% late deliveries, what does a model "
                "that always predicts 'on time' score, and which metric would you use instead?",
                [_where(loc) for loc in metrics["locations"][:2]])
        elif metrics.get("data", {}).get("metrics"):
            names = ", ".join(metrics["data"]["metrics"][:5])
            ask("comm.model_design", f"You evaluate with {names}. Which one matters most to the delivery company, "
                "and how does the decision threshold trade precision against recall here?",
                [_where(loc) for loc in metrics["locations"][:3]])
    models = ev.get("MOD001")
    if models and models.get("data", {}).get("models"):
        names = ", ".join(models["data"]["models"])
        ask("comm.model_design", f"You trained {names}. Why did you choose the "
            "final model, and what are its main drawbacks for this problem (bias/variance, explainability)?",
            [_where(loc) for loc in models["locations"][:3]])
    features = ev.get("FEA001")
    if features and features.get("data", {}).get("derived"):
        derived = ", ".join(f"`{name}`" for name in features["data"]["derived"][:6])
        ask("comm.data_prep", f"You derived {derived}. Which of them improved "
            "the model, and how did you measure it?", [_where(loc) for loc in features["locations"][:3]])
    insights = ev.get("EDA003")
    if insights and insights["locations"]:
        loc = insights["locations"][-1]  # the last summary / conclusion cell
        ask("comm.eda", f"Your notebook concludes: \"{loc['snippet'][:90]}\". Which finding changed your pipeline "
            "most, and how?", [_where(loc)])
    run = report["runs"][0] if report["runs"] else None
    if run and run["status"] != "completed":
        last = ((run["stderr_tail"] or run["stdout_tail"]).strip().splitlines() or ["(no output)"])[-1]
        ask("comm.pipeline", f"Your pipeline stopped ({run['status']}): `{last[:100]}`. What caused it, and how "
            "would your pipeline detect and report such a problem?", [f"run log of `{' '.join(run['command'])}`"])
    held = report.get("heldout") or {}
    if held.get("valid"):
        f1 = held["metrics"]["f1"]
        ref = held["baselines"].get("reference", {}).get("f1")
        ask("comm.pipeline", f"On deliveries your pipeline never saw it scored F1 {f1:.2f}"
            + (f" (the reference pipeline: {ref:.2f})" if ref else "") + ". How would you monitor this in "
            "production, and what would make you retrain?", [held.get("summary", "held-out scoring")])
    weakest = _weakest(report, rubric)
    if weakest and weakest["level"] < 3:
        ask("comm.pipeline" if weakest["section"] == "pipeline" else f"comm.{_comm_for(weakest['section'])}",
            f"The weakest line of your submission is {weakest['title']} (level {weakest['level']}): "
            f"{weakest['reason'][:120]}. Walk us through how you would improve it.", [weakest["id"]])
    if len(questions) < MIN_QUESTIONS:
        ask("comm.pipeline", "How is your workflow designed from data ingestion to predictions, and where would "
            "it break first when the data changes (new regions, new vehicle types)?", ["run.sh", "src/"])
        ask("comm.model_design", "How does your solution address the company's need to warn customers at "
            "dispatch time, and what would you need to deploy it?", ["README.md"])
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
    out = []
    for line in gaps[:count]:
        where = _pointer(line, ev, report["submission"].get("layout"))
        out.append({"line": line["id"], "level": line["level"], "advice": rubric.line(line["id"]).advice,
                    "where": where})
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
        item = ev.get(code)
        if not item:
            continue
        missing_sections = [f for f in item["findings"] if f.startswith("README section missing")]
        if missing_sections:
            return missing_sections[0]
        for loc in item["locations"]:
            if loc.get("line"):
                return f"{_where(loc)} ({loc['snippet'][:60]})"
        if item["findings"]:
            return item["findings"][0][:120]
    layout = layout or {}
    if line["section"] == "eda" and layout.get("notebooks"):
        return f"{layout['notebooks'][0]} (the notebook's markdown)"
    if layout.get("python_files"):
        return f"{layout['python_files'][0]} (the pipeline code)"
    return "README.md"
