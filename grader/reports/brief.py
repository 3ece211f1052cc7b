"""Views drawn from one submission's own choices: the assessor's interview brief (Communication,
Annex A1 section 6) and the candidate's three most valuable improvements.

Every domain word comes from the submission's evidence or from the round's pack (`report["pack"]`: task,
class balance, positive label, `domain` words, `advice`); without them the wording stays neutral."""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from collections.abc import Callable

from checks.vocabulary import HANG, RAW_TRACEBACK, WRONG_OUTPUT
from grader.rubric import SCORED, Rubric

MIN_QUESTIONS, MAX_QUESTIONS = 6, 10
METRIC_NAMES = {"f1": "F1", "macro_f1": "macro F1", "rmse": "RMSE", "mae": "MAE", "r2": "R²",
                "accuracy": "accuracy", "balanced_accuracy": "balanced accuracy", "roc_auc": "ROC AUC"}
STRATEGY_WORDS = {"mean": "the mean", "median": "the median", "most_frequent": "the most frequent value",
                  "constant": "a constant"}
# A column named in code: df["col"], df['col'], subset=["col", ...]
_COLUMN = re.compile(r"""\[\s*['"]([^'"\[\]]{1,60})['"]\s*[\],]|subset\s*=\s*\[?\s*['"]([^'"]{1,60})['"]""")

Question = dict
ELLIPSIS = "…"
QUOTE_CHARS = 160  # a quoted statement longer than this is cut after a whole line, with an ellipsis
SNIPPET_CHARS = 120  # the notebook's conclusion is stored cut at this length (checks.eda)
STATEMENT_REACH = 3  # lines around a location the report's excerpt holds (grader.grade.EXCERPT_CONTEXT)
EXCERPT_LINE_CHARS = 200  # an excerpt line this long may be cut (grader.grade.collect_excerpts)
CONTINUED = ("(", "[", "{", ",", "\\", "+", "-", "*", "/", "=", "|", "&", " and", " or")
# What a missing-value statement does, and the alternatives a question may suggest (never the one it does).
MISSING_ALTERNATIVES = (("drop", "dropping the rows"),
                        ("impute", "imputing the median or the most frequent value"),
                        ("category", "a 'missing' indicator or category"))
CATEGORY_NAME = re.compile(r"label|categor|unknown|missing|placeholder", re.I)  # MISSING_CATEGORY_LABEL = "..."
IMPUTE_CALLS = {"median", "mean", "mode", "KNNImputer", "IterativeImputer", "interpolate", "ffill", "bfill"}


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


def _excerpt(report: dict, loc: dict) -> dict[int, str]:
    """line number -> text of the code around a location, as the report stored it (candidate text, not run)."""
    rows = (report.get("excerpts") or {}).get(_where(loc)) or []
    return {int(n): str(text) for n, text in rows if isinstance(n, int) and isinstance(text, str)}


def _parses(lines: list[str]) -> bool:
    """Whether the lines are whole statements (a block header such as `if x > 9:` counts, without its body)."""
    text = textwrap.dedent("\n".join(lines))
    for candidate in (text, text + "\n    pass"):
        try:
            ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
        return not text[:1].isspace()
    return False


def _continues(line: str | None) -> bool:
    """Whether a line leaves its statement open (an open bracket, a trailing comma or operator)."""
    code = (line or "").split("#", 1)[0].rstrip()
    return bool(code) and code.endswith(CONTINUED)


def _statement(report: dict, loc: dict) -> list[str] | None:
    """The source lines of the whole statement a location points into, or None when the report cannot tell.

    Read from the report's excerpt (a few lines each side): the nearest window that parses as whole statements
    and holds the location's line. A one-line snippet that parses stands in for a missing excerpt."""
    lines, line = _excerpt(report, loc), loc.get("line")
    if not lines or line not in lines:
        code = _code(loc["snippet"])
        return [code] if code and len(code) < QUOTE_CHARS and _parses([code]) else None
    return _parsing_window(lines, line) or _long_statement(lines, line)


def _parsing_window(lines: dict[int, str], line: int) -> list[str] | None:
    """The nearest run of excerpt lines around line that parses as whole statements, latest start first."""
    for start in range(line, line - STATEMENT_REACH - 1, -1):
        if start not in lines or _continues(lines.get(start - 1)):  # the statement began before `start`
            continue
        for end in range(line, line + STATEMENT_REACH + 1):
            window = [lines[n] for n in range(start, end + 1) if n in lines]
            if len(window) < end - start + 1 or any(len(text) >= EXCERPT_LINE_CHARS for text in window):
                break
            if _parses(window):
                return window
    return None


def _long_statement(lines: dict[int, str], line: int) -> list[str] | None:
    """The first lines of a statement longer than the excerpt, then an ellipsis line; None if it is not one."""
    if _continues(lines.get(line - 1)):
        return None
    window = [lines[n] for n in range(line, line + STATEMENT_REACH + 1) if n in lines]
    if any(len(text) >= EXCERPT_LINE_CHARS for text in window) or not _open_prefix(window):
        return None
    return [*window, ELLIPSIS]


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    """The tokens of `text` up to where it stops making sense (an open bracket at its end, a stray character)."""
    out: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text + "\n").readline):
            out.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


def _open_prefix(lines: list[str]) -> bool:
    """Whether the lines begin a statement that goes on past them: brackets opened and not (over-)closed."""
    text = textwrap.dedent("\n".join(lines))
    if text[:1].isspace():
        return False
    depth = 0
    for token in _tokens(text):
        if token.type == tokenize.ERRORTOKEN and token.string.strip():
            return False
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth > 0


def _without_comments(lines: list[str]) -> list[str]:
    text = textwrap.dedent("\n".join(lines))
    rows = text.splitlines()
    for token in reversed([t for t in _tokens(text) if t.type == tokenize.COMMENT]):
        row, col = token.start
        rows[row - 1] = rows[row - 1][:col]
    return rows


def _inline(lines: list[str]) -> str:
    """A statement on one line, whole lines joined; cut after a whole line with an ellipsis when long."""
    cut = lines[-1] == ELLIPSIS  # a statement longer than the excerpt
    text = ""
    for part in (row.strip() for row in _without_comments(lines[:-1] if cut else lines)):
        if not part:
            continue
        joined = text + ("" if not text or text.endswith(("(", "[", "{")) or part.startswith((")", "]", "}"))
                         else " ") + part
        if text and len(joined) > QUOTE_CHARS:
            cut = True
            break
        text = joined
    return (f"{text} {ELLIPSIS}" if cut else text).replace("`", "'")


def _quote(report: dict, loc: dict) -> str | None:
    """`the whole statement` at a location, or None when it cannot be quoted whole."""
    statement = _statement(report, loc)
    return f"`{_inline(statement)}`" if statement else None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _is_label(node: ast.expr | None) -> bool:
    """A category label: a string, a constant named like one (MISSING_LABEL), or a dict of column -> string."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id.isupper() and bool(CATEGORY_NAME.search(node.id))
    if isinstance(node, ast.Attribute):
        return node.attr.isupper() and bool(CATEGORY_NAME.search(node.attr))
    if isinstance(node, ast.Dict):
        return any(_is_label(value) for value in node.values)
    return False


def _label_argument(call: ast.Call, name: str) -> ast.expr | None:
    """The value a missing-value call fills in: fillna(value), replace(_, value), where(_, other), fill_value=."""
    if name in ("fillna", "add_categories"):
        return _argument(call, 0, "value")
    if name in ("replace", "where"):
        return _argument(call, 1, "value" if name == "replace" else "other")
    return next((k.value for k in call.keywords if k.arg == "fill_value"), None)


def _missing_handling(code: str) -> set[str]:
    """What a missing-value statement does: "drop" rows, "impute" a typical value, fill a "category" label."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except (SyntaxError, ValueError):
        return ({"drop"} if "dropna" in code else set()) | ({"category"} if re.search(r"fillna\(\s*['\"]", code)
                                                            else set())
    does: set[str] = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        does |= _call_handling(call)
    return does


def _call_handling(call: ast.Call) -> set[str]:
    """What one call does with missing values: "drop", "impute" (a non-constant strategy too), fill a "category"."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    does: set[str] = set()
    if name == "dropna":
        does.add("drop")
    if name in IMPUTE_CALLS or any(k.arg == "strategy" and isinstance(k.value, ast.Constant)
                                   and k.value.value != "constant" for k in call.keywords):
        does.add("impute")
    if _is_label(_label_argument(call, name)):
        does.add("category")
    return does


def _missing_question(ev: dict[str, dict], report: dict) -> Question | None:
    """Why this missing-value handling; the alternatives offered are never the one the code already uses."""
    missing = _located(ev.get("PRE001"), "missing:")
    if not missing:
        return None
    named = [(loc, _column(_code(loc["snippet"]))) for loc in missing]
    loc, column = next(((loc, col) for loc, col in named if col), (missing[0], None))
    statement = _statement(report, loc)
    code = "\n".join(statement) if statement else _code(loc["snippet"])
    quote = f"`{_inline(statement)}`" if statement else None
    does = _missing_handling(code)
    strategy = re.search(r"strategy\s*=\s*['\"](\w+)", code)
    target = f"`{column}`" if column else "the columns it applies to"
    others = ", ".join(text for kind, text in MISSING_ALTERNATIVES if kind not in does)
    if "category" in does and quote:
        text = (f"You put the missing values of {target} in a category of their own with {quote}. Why a separate "
                f"category here, and what else did you consider ({others})?")
    else:
        how = (f"with {STRATEGY_WORDS.get(strategy.group(1), 'the ' + strategy.group(1))}" if strategy
               else f"with {quote}" if quote else f"at {_where(loc)}")
        text = (f"You handle missing values {how}. Why this choice for {target}, and what else did you consider "
                f"({others})?")
    return _question("comm.data_prep", text, [_where(loc)])


def _outlier_question(ev: dict[str, dict], report: dict) -> Question | None:
    outliers = _located(ev.get("PRE001"), "outliers:")
    if not outliers:
        return None
    subject = _word(_pack(report), "subject", "rows")
    quote = _quote(report, outliers[0])
    rule = f"Your outlier rule is {quote}." if quote else f"Your outlier rule at {_where(outliers[0])}:"
    return _question("comm.data_prep", f"{rule} How did you choose the bound, and what happens to such rows when the "
                     f"model predicts new {subject}?", [_where(outliers[0])])


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
    quote = _quote(report, split[0])
    how = f"with {quote}" if quote else f"at {_where(split[0])}"
    return _question("comm.data_prep", f"You split the data {how}. Why this strategy and ratio, and how do you keep "
                     "the final test estimate unbiased?", [_where(split[0])])


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
    text = loc["snippet"]  # stored cut at SNIPPET_CHARS: end it on a whole sentence or word
    conclusion = _prose(text, SNIPPET_CHARS, truncated=len(text) >= SNIPPET_CHARS)
    return _question("comm.eda", f"Your notebook concludes: \"{conclusion}\". Which finding changed "
                     "your pipeline most, and how?", [_where(loc)])


def _prose(text: str, limit: int, truncated: bool = False) -> str:
    """Prose on one line, cut after a whole sentence or word (with an ellipsis) rather than mid-word; `truncated`:
    the text was stored cut already, so its last word may be a fragment."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit and not truncated:
        return flat
    head = flat[:limit]
    sentence = max(head.rfind(". "), head.rfind("; "))
    if sentence >= limit // 2:
        return head[:sentence + 1].rstrip(";")
    return head.rsplit(" ", 1)[0].rstrip(",;:") + " …"


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
    summaries = {e["code"]: e.get("summary") or "" for e in report.get("evidence", [])}
    seen = next((summaries[c] for c in weakest.get("checks", []) if summaries.get(c)), "")
    what = f": we measured {_prose(seen, 160)}" if seen else ""  # the evidence in words, never the rule's syntax
    return _question(line, f"The weakest line of your submission is {weakest['title']} (level {weakest['level']})"
                     f"{what}. Walk us through how you would improve it.", [weakest["id"]])


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
        _question("comm.eda", "Which finding of your exploratory analysis surprised you most, and what did you change "
                  "in your pipeline because of it?", ["the EDA notebook"]),
        _question("comm.data_prep", "Which values in the data did you find missing, impossible or inconsistent, and "
                  "how did you decide what to do with each kind?", ["the EDA notebook", "src/"]),
        _question("comm.data_prep", "How did you split the data for training, model selection and the final "
                  "estimate, and why that way for this data?", ["src/"]),
        _question("comm.model_design", "Which models did you compare, on which metric, and what trade-off decided "
                  "the final choice?", ["README.md", "src/"]),
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
    if len(questions) < MIN_QUESTIONS:  # evidence too thin (e.g. no static analysis): general questions fill up
        questions += _fallback_questions(_pack(report))[:max(2, MIN_QUESTIONS - len(questions))]
    return questions[:MAX_QUESTIONS]


def _comm_for(section: str) -> str:
    return {"prog": "pipeline", "eda": "eda", "prep": "data_prep", "model": "model_design"}.get(section, "pipeline")


def _weakest(report: dict, rubric: Rubric) -> dict | None:
    scored = [line for line in report["lines"] if line["status"] == SCORED]
    if not scored:
        return None
    return min(scored, key=lambda line: (line["level"], -line["weight"]))


def improvements(report: dict, rubric: Rubric, count: int = 3) -> list[dict]:
    """The most valuable things to improve, each pointing at the evidence of its gap.

    A missing part (run.sh, the pipeline's modules, the notebook) comes first: nothing else can be improved
    before it exists. Then the biggest weighted gaps, those whose main check measured something before those it could
    not (no code or notebook to read); each points at a gap (a missing README section, a flagged line of code, a
    failed probe or finding), never at code the evidence shows is right."""
    ev = _evidence(report)
    layout = report["submission"].get("layout")
    advice = _pack(report).get("advice") or {}  # the round's own advice wins over the rubric's neutral one
    out = _missing_parts(report, layout)
    taken = {item["line"] for item in out}
    for line in _ranked_gaps(report, ev):
        if len(out) >= count:
            break
        if line["id"] in taken:
            continue
        out.append({"line": line["id"], "level": line["level"],
                    "advice": advice.get(line["id"]) or rubric.line(line["id"]).advice,
                    "where": _pointer(line, ev, layout)})
    return out[:count]


def _ranked_gaps(report: dict, ev: dict[str, dict]) -> list[dict]:
    """Scored lines below level 3: measured before unmeasured, then by weighted gap, then by level."""
    gaps = [line for line in report["lines"] if line["status"] == SCORED and line["level"] < 3]

    def unmeasured(line: dict) -> bool:
        first = ev.get(line["checks"][0]) if line["checks"] else None
        return not first or first["status"] != "ok"

    return sorted(gaps, key=lambda line: (unmeasured(line), -(3 - line["level"]) * line["weight"], line["level"]))


REQUIRED_PARTS = (("run_script", "run.sh", "`run.sh`, which runs the whole pipeline end to end on the data"),
                  ("python_files", "src/*.py", "the pipeline's code as .py modules under `src/` (load, clean, build "
                   "the features, train, evaluate, predict)"),
                  ("notebooks", "*.ipynb", "the EDA notebook (.ipynb) with your plots, statistics and findings"))


def _missing_parts(report: dict, layout: dict | None) -> list[dict]:
    """The first improvement when a required part is missing: write run.sh, the pipeline under src/, the notebook.

    Only what the layout says is absent counts (a layout without the key says nothing)."""
    missing = [(key, files, text) for key, files, text in REQUIRED_PARTS
               if layout and key in layout and not layout[key]]
    if not missing:
        return []
    pipeline = any(key != "notebooks" for key, _, _ in missing)
    line = _scored(report, "pipeline.design" if pipeline else "eda.")
    return [{"line": line["id"] if line else "pipeline.design" if pipeline else "eda.visualisation",
             "level": line["level"] if line else 0,
             "advice": "Write what is missing first: " + "; ".join(text for _, _, text in missing) + ".",
             "where": "missing from the submission: " + ", ".join(files for _, files, _ in missing)}]


def _scored(report: dict, prefix: str) -> dict | None:
    """The first scored line below level 3 whose id starts with `prefix` (a whole id or a section)."""
    return next((line for line in report["lines"] if line["id"].startswith(prefix) and line["status"] == SCORED
                 and line["level"] < 3), None)


README_SECTION_FOR = {"eda.insights": "eda_findings", "prep.feature_engineering": "feature_processing",
                      "prep.preprocessing": "feature_processing", "model.training": "model_choice",
                      "model.metrics": "evaluation", "model.scoping": "other_considerations",
                      "pipeline.design": "how_to_run", "pipeline.environment": "folder_structure"}
# Checks whose every location is a problem (pylint messages, fits before the split, the paper's rules broken)
GAP_CHECKS = {"PRG001", "PRG002", "PRE002", "RUL001", "RUL002", "RUL003", "RUL004", "NBK001", "ENV002"}
# The labels of problem locations in checks that also locate what is done well ("handled:", "raises:", "search:")
GAP_LABELS = ("no docstring:", "error swallowed:", "module-level code:", "fitted before the split")
FAILED_PROBES = (RAW_TRACEBACK, HANG, WRONG_OUTPUT)
# Findings that say how something was measured (or what the grader could not verify), not what is wrong
NOT_A_GAP = re.compile(r"^(environment: resolved together|no run\.sh: code quality is measured|unverified evidence:"
                       r"|tracer:|static and dynamic evidence disagree"
                       r"|\d+ models were scored on the test split \(chosen)|are on PATH in the sandbox$")
# Findings of a check shared by several lines (the traced run) that show a gap of some of them only
FINDING_LINES = {"data leak:": ("prep.preprocessing", "prep.split"),
                 "model selection on the test set:": ("model.tuning", "prep.split"),
                 "search that saw the test rows:": ("model.tuning", "prep.split"),
                 "missing values reached a model:": ("prep.preprocessing",),
                 "unseeded randomness:": ("model.tuning",)}


def _pointer(line: dict, ev: dict[str, dict], layout: dict | None = None) -> str:
    """Where one line's gap shows: a missing README section, a flagged file:line, then a failed probe or finding;
    else what the line's first measuring check found, or the file to start from."""
    section = README_SECTION_FOR.get(line["id"])
    readme = ev.get("DOC001") or {}
    if section and f"README section missing: {section}" in readme.get("findings", []):
        return f"README section missing: {section}"
    pointer = _check_pointer(line, ev)
    if pointer is not None:
        return pointer
    return _start_file(line, layout or {})


def _check_pointer(line: dict, ev: dict[str, dict]) -> str | None:
    """From the line's checks that ran: a flagged location, then a gap finding, then the first one's summary."""
    items = [(code, ev[code]) for code in line["checks"] if code in ev and ev[code]["status"] == "ok"]
    for finder in (_gap_location, _gap_finding):
        pointer = next((p for p in (finder(code, item, line["id"]) for code, item in items) if p), None)
        if pointer:
            return pointer
    if items and items[0][1]["summary"]:
        summary = _prose(items[0][1]["summary"], 160)
        located = [loc for loc in items[0][1]["locations"] if loc.get("line")]
        # at level 0 nothing the check located is right for the line: it is where the practice is to be added
        return f"{_where(located[0])} ({summary})" if line["level"] == 0 and located else summary
    return None


def _start_file(line: dict, layout: dict) -> str:
    """The file to start from: the notebook for an EDA line, else the first pipeline module, else the README."""
    if line["section"] == "eda" and layout.get("notebooks"):
        return f"{layout['notebooks'][0]} (the notebook's markdown)"
    if layout.get("python_files"):
        return f"{layout['python_files'][0]} (the pipeline code)"
    return "README.md"


def _gap_location(code: str, item: dict, line_id: str) -> str | None:
    """A location the check flags as a problem (not one it found done well)."""
    for loc in item["locations"]:
        if loc.get("line") and (code in GAP_CHECKS or loc["snippet"].startswith(GAP_LABELS)):
            return f"{_where(loc)} ({_prose(loc['snippet'], 80)})"
    return None


def _gap_finding(code: str, item: dict, line_id: str) -> str | None:
    """A robustness probe that failed, or a finding that shows a gap of this line (a missing README section)."""
    if code == "PRB001":
        return _failed_probe(item)
    for finding in item["findings"]:
        topic = next((lines for prefix, lines in FINDING_LINES.items() if finding.startswith(prefix)), None)
        if NOT_A_GAP.search(finding) or (topic and line_id not in topic):
            continue
        if finding.startswith("log tail:"):
            return _log_end(finding)
        return _prose(finding, 120)
    return None


def _failed_probe(item: dict) -> str | None:
    """The first robustness probe that failed: its input, outcome and reason."""
    failed = [p for p in (item.get("data") or {}).get("probes", []) if p.get("outcome") in FAILED_PROBES]
    return (f"robustness probe `{failed[0]['probe']}` ({failed[0].get('input', '')}): {failed[0]['outcome']}, "
            f"{_prose(failed[0].get('reason', ''), 100)}") if failed else None


def _log_end(finding: str) -> str | None:
    """The last non-blank line of a `log tail:` finding."""
    last = [text.strip() for text in finding[len("log tail:"):].splitlines() if text.strip()]
    return f"the run's log ends: {_prose(last[-1], 120)}" if last else None
