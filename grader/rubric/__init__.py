"""The rubric as data (annex_a1.toml) and the scoring of evidence against it."""

from __future__ import annotations

import operator
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from checks.base import ERROR, OK, Evidence, declares
from grader.rubric.confidence import BOUNDARY, UNCONFIRMED, decisiveness, review_out_of_profile

RUBRIC_PATH = Path(__file__).with_name("annex_a1.toml")
LEVELS = (3, 2, 1)
_OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne, ">": operator.gt,
        "<": operator.lt}
_CONDITION = re.compile(r"^\s*([A-Z]{3}\d{3})\.(\w+)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")


class RubricError(ValueError):
    """The rubric file is malformed: names the file and the offending entry."""


@dataclass(frozen=True)
class Condition:
    code: str
    metric: str
    op: str
    value: float | bool | str

    def holds(self, evidence: dict[str, Evidence], unmeasured: frozenset[str] = frozenset()) -> bool:
        """Whether the condition holds; a condition on an `unmeasured` check is assumed to."""
        if self.code in unmeasured:
            return True
        ev = evidence.get(self.code)
        if ev is None or ev.status != OK or self.metric not in ev.metrics:
            return False
        actual = ev.metrics[self.metric]
        try:
            return bool(_OPS[self.op](actual, self.value))
        except TypeError:
            return False

    def __str__(self) -> str:
        if isinstance(self.value, bool):
            value = str(self.value).lower()
        elif isinstance(self.value, float) and self.value.is_integer():
            value = str(int(self.value))
        else:
            value = str(self.value)
        return f"{self.code}.{self.metric} {self.op} {value}"


@dataclass(frozen=True)
class Rule:
    """All clauses must hold; a clause holds when any of its alternatives does."""

    clauses: tuple[tuple[Condition, ...], ...]

    def holds(self, evidence: dict[str, Evidence], unmeasured: frozenset[str] = frozenset()) -> bool:
        return all(any(c.holds(evidence, unmeasured) for c in clause) for clause in self.clauses)

    def __str__(self) -> str:
        return " and ".join(" or ".join(str(c) for c in clause) for clause in self.clauses)


@dataclass(frozen=True)
class AnyRule:
    """A level reached in several ways (e.g. measured by the probes, or read from the code when they did not run)."""

    alternatives: tuple[Rule, ...]

    def holds(self, evidence: dict[str, Evidence], unmeasured: frozenset[str] = frozenset()) -> bool:
        return any(rule.holds(evidence, unmeasured) for rule in self.alternatives)

    def which(self, evidence: dict[str, Evidence]) -> Rule:
        return next((rule for rule in self.alternatives if rule.holds(evidence)), self.alternatives[0])

    def __str__(self) -> str:
        return " | ".join(f"({rule})" for rule in self.alternatives)


@dataclass(frozen=True)
class Cap:
    when: Rule
    max_level: int
    reason: str


@dataclass(frozen=True)
class RubricLine:
    id: str
    section: str
    title: str
    descriptors: tuple[str, ...]
    checks: tuple[str, ...] = ()
    rules: dict[int, Rule | AnyRule] = field(default_factory=dict)
    caps: tuple[Cap, ...] = ()
    weight: float = 1.0
    confidence: float = 0.7
    needs_review: bool = False
    auto: bool = True
    advice: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class Rubric:
    version: str
    title: str
    sections: tuple[Section, ...]
    lines: tuple[RubricLine, ...]
    level_names: dict[int, str]

    def line(self, line_id: str) -> RubricLine:
        return next(line for line in self.lines if line.id == line_id)


def parse_value(text: str) -> float | bool | str:
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text.strip("\"'")


@dataclass(frozen=True)
class _Validation:
    """What a rubric file's conditions are checked against, and the file's text to name the line of an error."""

    path: Path
    text: str
    known_codes: set[str] | None = None
    known_metrics: dict[str, set[str]] | None = None

    def lineno(self, line_id: str, part: str) -> int | None:
        """The TOML line where `part` (a condition) appears, searched from its [[line]]'s `id` first."""
        block = re.search(rf'^\s*id\s*=\s*["\']{re.escape(line_id)}["\']', self.text, re.MULTILINE)
        start = block.start() if block else 0
        at = self.text.find(part.strip(), start)
        if at < 0:
            at = self.text.find(part.strip())
        if at < 0:
            return self.text.count("\n", 0, start) + 1 if block else None
        return self.text.count("\n", 0, at) + 1

    def validate(self, line_id: str, part: str, code: str, metric: str) -> None:
        """RubricError, naming file:line, when the condition names an unknown check or a metric it lacks."""
        unknown_code = (self.known_codes is not None and code not in self.known_codes) or \
            (self.known_metrics is not None and code not in self.known_metrics)
        if not unknown_code and (self.known_metrics is None or declares(self.known_metrics[code], metric)):
            return
        number = self.lineno(line_id, part)
        where = f"{self.path.name}{f':{number}' if number else ''}: line {line_id}"
        if unknown_code:
            raise RubricError(f"{where}: condition {part.strip()!r} names unknown check {code}")
        declared = ", ".join(sorted(self.known_metrics[code])) or "no metrics"
        raise RubricError(f"{where}: {code}.{metric} is not a metric of {code} (it declares: {declared})")


def _parse_level(items: list, line_id: str, validation: _Validation) -> Rule | AnyRule:
    """A list of conditions is one rule; a list of lists is several rules, any of which reaches the level."""
    if items and all(isinstance(item, list) for item in items):
        return AnyRule(tuple(_parse_rule(item, line_id, validation) for item in items))
    return _parse_rule(items, line_id, validation)


def _parse_rule(items: list[str], line_id: str, validation: _Validation) -> Rule:
    clauses = []
    for item in items:
        alternatives = []
        for part in item.split(" or "):
            match = _CONDITION.match(part)
            if not match:
                raise RubricError(f"{validation.path.name}: line {line_id}: cannot read condition {part!r} "
                                  "(expected `CODE.metric OP value`)")
            code, metric, op, value = match.groups()
            validation.validate(line_id, part, code, metric)
            alternatives.append(Condition(code, metric, op, parse_value(value)))
        clauses.append(tuple(alternatives))
    return Rule(tuple(clauses))


def load_rubric(path: Path = RUBRIC_PATH, known_codes: set[str] | None = None,
                known_metrics: dict[str, set[str]] | None = None) -> Rubric:
    """Read and validate a rubric TOML; RubricError names the file and the entry that is wrong.

    known_codes: the check codes a condition may name; known_metrics: check code -> the metric names it
    declares (checks.declared_metrics(); a `<...>` name stands for a family), so a misspelt metric, which
    would silently make a level unreachable, fails the load with the file, the TOML line and the metric."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RubricError(f"{path}: {exc}") from exc
    validation = _Validation(path, text, known_codes, known_metrics)
    sections = tuple(Section(s["id"], int(s["number"]), s["title"]) for s in data.get("section", []))
    section_ids = {s.id for s in sections}
    lines = []
    for raw in data.get("line", []):
        line_id = raw.get("id", "?")
        where = f"{path.name}: line {line_id}"
        section = line_id.split(".", 1)[0]
        if section not in section_ids:
            raise RubricError(f"{where}: no [[section]] with id {section!r}")
        rules = {lvl: _parse_level(raw[f"level_{lvl}"], line_id, validation) for lvl in LEVELS
                 if f"level_{lvl}" in raw}
        # a cap's `when` is one condition, or a list of conditions that must all hold
        caps = tuple(Cap(_parse_rule(c["when"] if isinstance(c["when"], list) else [c["when"]], line_id, validation),
                         int(c["max"]), c.get("reason", ""))
                     for c in raw.get("caps", []))
        auto = bool(raw.get("auto", True))
        if auto and not raw.get("checks"):
            raise RubricError(f"{where}: an auto-scored line needs `checks`")
        lines.append(RubricLine(
            id=line_id, section=section, title=raw["title"], descriptors=tuple(raw.get("descriptors", [])),
            checks=tuple(raw.get("checks", [])), rules=rules, caps=caps, weight=float(raw.get("weight", 1.0)),
            confidence=float(raw.get("confidence", 0.7)), needs_review=bool(raw.get("needs_review", False)),
            auto=auto, advice=str(raw.get("advice", "")),
        ))
    levels = {int(k): v for k, v in data.get("levels", {}).items()}
    return Rubric(str(data.get("version", "")), str(data.get("title", "")), sections, tuple(lines), levels)


SCORED = "scored"
NOT_ASSESSED = "not_assessed"
INTERVIEW = "interview"


@dataclass
class LineScore:
    """The automated result of one rubric line, with the reason a person can check."""

    id: str
    section: str
    title: str
    status: str
    level: int | None
    confidence: float
    needs_review: bool
    reason: str
    checks: list[str]
    weight: float


@dataclass
class Score:
    """All lines, the weighted total and the pass decision under the pack's rule."""

    lines: list[LineScore]
    points: float
    max_points: float
    percent: float
    passed: bool
    provisional: bool
    pass_rule: str
    section_levels: dict[str, float]


def _level(line: RubricLine, evidence: dict[str, Evidence],
           unmeasured: frozenset[str] = frozenset()) -> tuple[int, str]:
    """The highest level whose rule holds, after the caps, and why (conditions on `unmeasured` checks assumed)."""
    level, reason = 0, "no level rule holds: the practice is not evident"
    for lvl in LEVELS:
        rule = line.rules.get(lvl)
        if rule is not None and rule.holds(evidence, unmeasured):
            level, reason = lvl, f"level {lvl}: {rule.which(evidence) if isinstance(rule, AnyRule) else rule}"
            break
    for cap in line.caps:
        if cap.when.holds(evidence) and level > cap.max_level:
            level, reason = cap.max_level, f"capped at {cap.max_level}: {cap.reason} ({reason})"
    return level, reason


def _unmeasured(line: RubricLine, evidence: dict[str, Evidence], fed: list[Evidence], level: int) -> str | None:
    """Why the level is unknown: a check that errored could have raised it (None when it could not)."""
    failed = [e for e in fed if e.status == ERROR]
    if not failed:
        return None
    best, _ = _level(line, evidence, frozenset(e.code for e in failed))
    if best <= level:
        return None
    why = "; ".join(f"{e.code}: {e.summary}" for e in failed)
    return (f"the grader could not measure what this line needs (the level could be anywhere from {level} to "
            f"{best}): {why}")


def score_line(line: RubricLine, evidence: dict[str, Evidence], weight: float) -> LineScore:
    """A line's level from its rules; not assessed when the checks it needs could not measure.

    A check that errored (the grader's own failure: a timeout, a size limit, a crashed tool) leaves the line
    not assessed whenever its result could have changed the level, never scored as if the practice were absent.
    """
    if not line.auto:
        return LineScore(line.id, line.section, line.title, INTERVIEW, None, 0.0, True,
                         "assessed at the interview: see the interview brief", [], weight)
    fed = [evidence[c] for c in line.checks if c in evidence]
    usable = [e for e in fed if e.status != ERROR]
    if not usable:
        why = ("the grader could not measure this line: " + "; ".join(f"{e.code}: {e.summary}" for e in fed)
               if fed else "no check of this line ran")
        return LineScore(line.id, line.section, line.title, NOT_ASSESSED, None, 0.0, True, why,
                         list(line.checks), weight)
    level, reason = _level(line, evidence)
    unmeasured = _unmeasured(line, evidence, fed, level)
    if unmeasured:
        return LineScore(line.id, line.section, line.title, NOT_ASSESSED, None, 0.0, True, unmeasured,
                         list(line.checks), weight)
    confidence, review, reason = _confidence(line, evidence, level, reason, len(usable) / len(fed))
    return LineScore(line.id, line.section, line.title, SCORED, level, confidence, review, reason, list(line.checks),
                     weight)


def _confidence(line: RubricLine, evidence: dict[str, Evidence], level: int, reason: str,
                coverage: float) -> tuple[float, bool, str]:
    """The line's prior (scaled by how many of its checks could measure), halved and flagged when it rests on
    notebook outputs no re-execution confirmed; a level near a boundary says so in the reason."""
    confidence, review = line.confidence * coverage, line.needs_review
    fed = [evidence[c] for c in line.checks if c in evidence and evidence[c].status == OK]
    shaky = [e.code for e in fed if e.metrics.get("confirmed_by_reexecution") is False]
    if shaky:
        confidence, review = confidence * 0.5, True
        reason = f"{reason}{UNCONFIRMED}{', '.join(shaky)} read from notebook outputs no re-execution confirmed"
    decisive = decisiveness(line, evidence, level, reason.startswith("capped"))
    if not decisive.clear:
        reason = f"{reason}{BOUNDARY}{decisive.why}"
    return round(confidence, 2), review, reason


def score(rubric: Rubric, evidence: dict[str, Evidence], pass_rule: dict | None = None,
          weights: dict[str, float] | None = None) -> Score:
    """Score every line and apply the pack's pass rule (min_total_pct, min_levels per line)."""
    pass_rule = pass_rule or {}
    weights = weights or {}
    results = [score_line(line, evidence, float(weights.get(line.id, weights.get(line.section, line.weight))))
               for line in rubric.lines]
    return summarize(review_out_of_profile(results, SCORED), pass_rule)


def summarize(results: list[LineScore], pass_rule: dict | None = None) -> Score:
    """The weighted total and the pass decision over scored lines (also after assessor overrides)."""
    pass_rule = pass_rule or {}
    auto = [r for r in results if r.status != INTERVIEW]
    scored = [r for r in auto if r.status == SCORED]
    points = sum(r.level * r.weight for r in scored)
    max_points = sum(3 * r.weight for r in auto)
    percent = round(100.0 * points / max_points, 1) if max_points else 0.0
    passed, rule_text = _apply_pass_rule(results, percent, pass_rule)
    return Score(results, points, max_points, percent, passed, len(scored) < len(auto), rule_text,
                 _section_levels(scored))


def _apply_pass_rule(results: list[LineScore], percent: float, pass_rule: dict) -> tuple[bool, str]:
    """Whether the total and the lines the rule names reach its minimums, and the rule as text."""
    min_pct = float(pass_rule.get("min_total_pct", 50.0))
    min_levels = dict(pass_rule.get("min_levels", {}))
    by_id = {r.id: r for r in results}
    passed = percent >= min_pct and all((by_id[k].level or 0) >= v for k, v in min_levels.items() if k in by_id)
    rule_text = f"total >= {min_pct:g}%" + "".join(f", {k} >= {v}" for k, v in min_levels.items())
    return passed, rule_text


def _section_levels(scored: list[LineScore]) -> dict[str, float]:
    """The mean level of each section's scored lines."""
    sections: dict[str, list[int]] = {}
    for r in scored:
        sections.setdefault(r.section, []).append(r.level)
    return {k: round(sum(v) / len(v), 2) for k, v in sections.items()}
