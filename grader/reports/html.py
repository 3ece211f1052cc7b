"""report.html: the assessor view, self-contained (no network, no script), rendered from report.json.

The notebook's plots are kept as files under OUT/plots/ and embedded when the page is rendered, so
`grader finalize` can render the page again after overrides without the submission.

Each line's "why" is told in plain words first (the level, the conditions met with the values measured, what the
next level lacks), from the scorer's `reason` and the checks' declared metric meanings; the rule as scored stays
one click away. The page prints on A4 with every collapsed excerpt and log shown (see the template's print CSS).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from checks import CATALOGUE
from checks.base import OK, Evidence, declares
from checks.vocabulary import GOOD
from grader.atomicfile import write_text
from grader.reports.charts import Bar, bar_chart_svg
from grader.rubric import INTERVIEW, NOT_ASSESSED, AnyRule, Condition, Rubric, Rule, load_rubric, parse_value
from grader.rubric.confidence import BOUNDARY, OUT_OF_PROFILE_NOTE, UNCONFIRMED

TEMPLATES = Path(__file__).with_name("templates")
PRINT_LOG_LINES = 20  # a printed run log shows its end: this many lines, at most PRINT_LOG_CHARS
PRINT_LOG_CHARS = 1600
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def save_plots(plots: list[dict], out_dir: Path) -> list[dict]:
    """Write the notebook's images under out_dir/plots and return their index for report.json."""
    index = []
    for number, plot in enumerate(plots, start=1):
        suffix = ".png" if plot["mime"] == "image/png" else ".jpg"
        rel = f"plots/{number:02d}-cell{plot['cell']}{suffix}"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.write_bytes(base64.b64decode(plot["data"], validate=False))
        except (ValueError, TypeError):
            continue
        index.append({"file": rel, "notebook": plot["notebook"], "cell": plot["cell"]})
    return index


def _embedded_plots(report: dict, out_dir: Path) -> list[dict]:
    plots = []
    for item in report.get("plots", []):
        path = out_dir / item["file"]
        if path.is_file() and path.suffix in MIME:
            plots.append({**item, "mime": MIME[path.suffix], "data": base64.b64encode(path.read_bytes()).decode()})
    return plots


def render(report: dict, out_dir: Path) -> str:
    """The HTML text of one report (out_dir only supplies the plot files: the page names no absolute path)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    rubric = load_rubric()
    lines = report.get("final", {}).get("lines") or report["lines"]
    by_section: dict[str, list[dict]] = {}
    for line in lines:
        by_section.setdefault(line["section"], []).append(line)
    ordered = [line for section in rubric.sections for line in by_section.get(section.id, [])]
    reader = WhyReader(report, rubric)
    return env.get_template("report.html.j2").render(
        r=report, sections=rubric.sections, lines_by_section=by_section,
        evidence={e["code"]: e for e in report["evidence"]}, excerpts=report.get("excerpts", {}),
        plots=_embedded_plots(report, out_dir), heldout_chart=Markup(heldout_chart(report.get("heldout") or {})),
        good_probe=GOOD, why={line["id"]: reader.why(line) for line in lines}, first_use=first_use(ordered),
        first_use_title=_first_use_titles(ordered),
        interview_ids=[line["id"] for line in lines if line["status"] == INTERVIEW], print_tail=print_tail,
    )


def print_tail(text: str | None) -> dict:
    """The end of a run's log as printed (a panel reads the outcome, the screen and report.json keep the tail)."""
    lines = (text or "").rstrip().splitlines()
    shown = "\n".join(lines[-PRINT_LOG_LINES:])
    if len(shown) > PRINT_LOG_CHARS:
        shown = "…" + shown[-PRINT_LOG_CHARS:]
    return {"text": shown, "clipped": shown != "\n".join(lines)}


def first_use(lines: list[dict]) -> dict[str, str]:
    """Each check code -> the first line (in page order) citing it: print shows a check's evidence once, there."""
    first: dict[str, str] = {}
    for line in lines:
        for code in line.get("checks", []):
            first.setdefault(code, line["id"])
    return first


def _first_use_titles(lines: list[dict]) -> dict[str, str]:
    titles = {line["id"]: f"{line['title']} ({line['id']})" for line in lines}
    return {code: titles[line_id] for code, line_id in first_use(lines).items()}


# --- the held-out chart ---------------------------------------------------------------------------------------------

BAR_COLORS = {"reference": "#2e8b57", "always_positive": "#d68910", "majority_class": "#7f8c8d"}
SUBMISSION_COLOR = "#1f3a5f"
LOWER_IS_BETTER = ("rmse", "mae")


def heldout_bars(held: dict) -> list[Bar]:
    """The held-out primary metric of the submission, its baselines and the reference, in that order."""
    if not held.get("valid"):
        return []
    metric = held.get("primary_metric") or "f1"
    rows = [("this submission", held["metrics"].get(metric), SUBMISSION_COLOR)]
    rows += [(name.replace("_", " "), base.get(metric), BAR_COLORS.get(name, "#999"))
             for name, base in held.get("baselines", {}).items()]
    return [Bar(label, float(value), color) for label, value, color in rows if isinstance(value, int | float)]


def heldout_chart(held: dict) -> str:
    """The held-out bars as inline SVG drawn by matplotlib ('' when the predictions were not scored)."""
    bars = heldout_bars(held)
    if not bars:
        return ""
    metric = held.get("primary_metric") or "f1"
    better = "lower is better" if metric in LOWER_IS_BETTER else "higher is better"
    return bar_chart_svg("heldout", bars, f"held-out {metric} ({better})")


# --- the plain-words "why" of a line --------------------------------------------------------------------------------

OP_WORDS = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than", "==": "exactly", "!=": "not"}
_CONDITION = re.compile(r"\b([A-Z]{3}\d{3})\.(\w+)\s*(>=|<=|==|!=|>|<)\s*([^\s;,()]+)")
_LEVEL = re.compile(r"^level (\d): (.+)$", re.DOTALL)
_CAPPED = re.compile(r"^capped at (\d): (.*?) \(((?:level \d|no level rule holds|capped at \d).*)\)$", re.DOTALL)
NO_LEVEL = "no level rule holds"
NOTES = ((BOUNDARY, "Near a level boundary: "), (UNCONFIRMED, "Unconfirmed, worth a look: "),
         (OUT_OF_PROFILE_NOTE, "Out of the submission's profile, worth a look: "))
OVERRIDE = "assessor override by "
SHARE = "share 0-1 "  # a metric meaning that starts so is shown as a percentage
_SCALE = re.compile(r"^(0 none, .+) for the (.+) choice$")  # JUS001's `0 none, 1 ..., 2 ... for the X choice`
MEANINGS: dict[str, dict[str, str]] = {check.code: dict(check.metrics) for check in CATALOGUE}


def _split_notes(reason: str) -> tuple[str, list[tuple[str, str]]]:
    """A scored line's reason without its trailing notes (boundary, profile), and those notes with their labels."""
    found = sorted((reason.find(marker), marker, label) for marker, label in NOTES if marker in reason)
    if not found:
        return reason, []
    notes = []
    for i, (start, marker, label) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(reason)
        notes.append((label, reason[start + len(marker):end]))
    return reason[:found[0][0]], notes


@dataclass
class Item:
    """One condition (or `A or B` clause) in plain words; `ok` is whether it holds (None: not evaluated)."""

    text: str
    ok: bool | None = None


@dataclass
class Why:
    """A line's reason for a person: a headline, what was met, what the next level lacks, notes, and the rule."""

    headline: str
    met_label: str = ""
    met: list[Item] = field(default_factory=list)
    missed_label: str = ""
    missed_how: str = ""
    missed: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rule: str = ""


def meaning(code: str, metric: str) -> str:
    """What a check's metric measures, from the check's declared `metrics` (its code and name when undeclared)."""
    declared = MEANINGS.get(code, {})
    text = declared.get(metric) or next((v for k, v in declared.items() if declares([k], metric)), "")
    text = text.removesuffix(" (count)")
    scale = _SCALE.match(text)
    if scale:
        return f"written reason for the {scale[2]} choice [{scale[1]}]"
    if re.match(r"^0 [^,]+, 1 ", text):  # a graded scale: say what is graded first
        return f"{metric.replace('_', ' ')} [{text}]"
    return text or f"{code} {metric.replace('_', ' ')}"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _percent(value: object) -> str:
    """A 0-1 share as a percentage ('80%'), anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{100 * value:.3g}%"
    return _shown(value)


def _condition_text(cond: Condition, actual: object) -> str:
    """A condition in words, with the value measured (None: not measured)."""
    what = meaning(cond.code, cond.metric)
    if isinstance(cond.value, bool) and cond.op in ("==", "!="):
        text = what if cond.value == (cond.op == "==") else f"not: {what}"
        return text if actual is not None else f"{text} (not measured)"
    share = what.startswith(SHARE) and isinstance(cond.value, float)
    shown = _percent if share else _shown
    if share:
        what = re.sub(r"^share 0-1 (of )?", lambda m: "" if m[1] else "share ", what)
    measured = shown(actual) if actual is not None else "not measured"
    return f"{what}: {measured} (needs {OP_WORDS[cond.op]} {shown(cond.value)})"


def _evidence_objects(report: dict) -> dict[str, Evidence]:
    """report.json's evidence as the scorer's objects, so a condition holds here exactly as it did when scored."""
    return {e["code"]: Evidence(code=e["code"], name=e.get("name", ""), lines=tuple(e.get("lines", ())),
                                status=e.get("status", ""), summary=e.get("summary", ""),
                                metrics=dict(e.get("metrics") or {}), confidence=e.get("confidence", 1.0))
            for e in report.get("evidence", [])}


class WhyReader:
    """Reads each line's `reason` (the scorer's rule text) into plain words, with the values the checks measured."""

    def __init__(self, report: dict, rubric: Rubric) -> None:
        self.evidence = _evidence_objects(report)
        self.rubric = rubric
        self.level_names = {level: name.split(":")[0].strip() for level, name in rubric.level_names.items()}
        # the next level's rule is read from the rubric only when it is the one the report was scored with
        self.same_rubric = (report.get("pack") or {}).get("rubric_version") == rubric.version

    def condition(self, cond: Condition) -> Item:
        """`PRE001.bullets >= 2` -> 'preprocessing bullets applied in code ...: 2 (needs at least 2)', and whether
        it holds."""
        ev = self.evidence.get(cond.code)
        actual = ev.metrics[cond.metric] if ev is not None and ev.status == OK and cond.metric in ev.metrics else None
        return Item(_condition_text(cond, actual), cond.holds(self.evidence))

    def clause(self, conditions: tuple[Condition, ...]) -> Item:
        items = [self.condition(c) for c in conditions]
        return Item(", or ".join(i.text for i in items), any(bool(i.ok) for i in items))

    def rule_items(self, rule_text: str) -> list[Item]:
        """The clauses of a rule as the scorer printed it (`A and B or C`)."""
        clauses = []
        for clause in rule_text.split(" and "):
            conditions = tuple(Condition(m[1], m[2], m[3], parse_value(m[4]))
                               for part in clause.split(" or ") if (m := _CONDITION.search(part)))
            if conditions:
                clauses.append(self.clause(conditions))
        return clauses

    def plain(self, text: str) -> str:
        """Free text (e.g. 'one condition short of level 3: PRG001.score >= 8.5') with each condition in words."""
        return _CONDITION.sub(lambda m: self.condition(Condition(m[1], m[2], m[3], parse_value(m[4]))).text, text)

    def gaps(self, line_id: str, level: int) -> tuple[str, list[Item]] | None:
        """What the next level's rule lacks: its failing clauses; when the level can be reached several ways, each
        way closest to holding, as one item (how the items combine, and the items)."""
        upper = self._rule(line_id, level + 1) if level < 3 and self.same_rubric else None
        if upper is None:
            return None
        alternatives = upper.alternatives if isinstance(upper, AnyRule) else (upper,)
        failing = [self._failing(rule) for rule in alternatives]
        fewest = min(len(clauses) for clauses in failing)
        closest = [clauses for clauses in failing if len(clauses) == fewest]
        if not fewest:
            return None  # the rule holds: the report was scored by other rules than these
        if len(closest) == 1:
            return "missing", [self.clause(clause) for clause in closest[0]]
        return "any one of these would reach it", [
            Item("; and ".join(self.clause(clause).text for clause in clauses), False) for clauses in closest]

    def _failing(self, rule: Rule) -> list[tuple[Condition, ...]]:
        return [clause for clause in rule.clauses if not any(c.holds(self.evidence) for c in clause)]

    def _rule(self, line_id: str, level: int) -> Rule | AnyRule | None:
        line = next((item for item in self.rubric.lines if item.id == line_id), None)
        return line.rules.get(level) if line else None

    def name(self, level: int) -> str:
        return f"Level {level} ({self.level_names[level]})" if level in self.level_names else f"Level {level}"

    def why(self, line: dict) -> Why:
        """The plain-words reason of one line of report.json (its `reason` kept as the rule)."""
        reason = str(line.get("reason") or "")
        if line.get("status") == INTERVIEW:
            return self._interview(line, reason)
        if line.get("status") == NOT_ASSESSED:
            return Why("Not assessed", notes=[self.plain(reason)])
        if reason.startswith(OVERRIDE):
            return Why(f"Level {line.get('level')}, set by the assessor", notes=[reason])
        head, notes = _split_notes(reason)
        why = self._scored(head, line)
        why.notes.extend(f"{label}{self.plain(text)}" for label, text in notes)
        why.rule = reason if _CONDITION.search(reason) else ""
        return why

    @staticmethod
    def _interview(line: dict, reason: str) -> Why:
        """An interview line: its level once the assessor recorded one, and who did and why."""
        if line.get("level") is None:
            return Why("Assessed at the interview", notes=["See the interview brief; outside the automated total."])
        return Why(f"Interview level {line['level']}", notes=[reason, "Outside the automated total."])

    def _scored(self, head: str, line: dict) -> Why:
        capped = _CAPPED.match(head)
        if capped:
            inner = self._scored(capped[3], line)
            return Why(f"{self.name(int(capped[1]))}, capped", f"without the cap: {inner.headline.lower()}",
                       inner.met, notes=[f"Capped at level {capped[1]}: {capped[2]}"])
        reached = _LEVEL.match(head)
        if reached:
            level = int(reached[1])
            why = Why(self.name(level), "reached because", self.rule_items(reached[2]))
        else:
            level = 0
            why = Why(self.name(0), notes=[self.plain(head)] if not head.startswith(NO_LEVEL) else
                      ["No level's rule holds: the practice is not evident in what the grader measured."])
        gaps = self.gaps(line["id"], level)
        if gaps:
            why.missed_label, why.missed_how, why.missed = f"Level {level + 1} not reached", *gaps
        return why


def write_html(report: dict, out_dir: Path) -> Path:
    return write_text(render(report, out_dir), out_dir / "report.html")
