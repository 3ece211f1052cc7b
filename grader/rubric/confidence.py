"""How decisive a line's evidence is: a level that one condition more or less would change is not confident.

A line's confidence starts from its prior (the rubric's `confidence`, the share of that line the grader got
right on the calibration corpus's tuning half) and is halved when the evidence sits at a boundary:
- up: the next level's rule fails on a single clause, and that clause is close (a number within 25% of its
  threshold, or a yes/no read from prose, which the grader reads less reliably than code or a run);
- down: the level's own rule holds only just (a share or score within 10% of its threshold, or a count of 3
  or more exactly at it).
Such a line is flagged `needs_review`: a person should read the evidence before trusting the level.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.base import OK, Evidence

NEAR_UP = 0.25
NEAR_DOWN = 0.10
PROSE_CONFIDENCE = 0.6  # evidence at or under this confidence is read from prose: a yes/no from it is soft


@dataclass(frozen=True)
class Decisiveness:
    clear: bool
    why: str = ""


def _actual(cond, evidence: dict[str, Evidence]):
    ev = evidence.get(cond.code)
    if ev is None or ev.status != OK:
        return None, None
    return ev.metrics.get(cond.metric), ev


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _close_to_holding(cond, evidence: dict[str, Evidence]) -> bool:
    """A failing condition that is nearly met, or whose failing yes/no comes from prose."""
    actual, ev = _actual(cond, evidence)
    if actual is None:
        return False
    if _is_number(actual) and _is_number(cond.value) and cond.op in (">=", ">", "<=", "<"):
        scale = max(abs(float(cond.value)), 1.0)
        return abs(float(actual) - float(cond.value)) / scale <= NEAR_UP
    return ev.confidence <= PROSE_CONFIDENCE


def _barely_holds(cond, evidence: dict[str, Evidence]) -> bool:
    actual, _ = _actual(cond, evidence)
    if not (_is_number(actual) and _is_number(cond.value)) or cond.op not in (">=", ">", "<=", "<"):
        return False
    value = float(cond.value)
    if float(value).is_integer() and abs(value) >= 3 and float(actual) == value:
        return True
    if not float(value).is_integer():
        return abs(float(actual) - value) / max(abs(value), 1e-9) < NEAR_DOWN
    return False


def _rules(rule) -> tuple:
    return getattr(rule, "alternatives", (rule,))


def _near_up(rule, evidence: dict[str, Evidence]) -> str | None:
    for alternative in _rules(rule):
        failing = [clause for clause in alternative.clauses if not any(c.holds(evidence) for c in clause)]
        if len(failing) == 1 and any(_close_to_holding(c, evidence) for c in failing[0]):
            return " or ".join(str(c) for c in failing[0])
    return None


def _near_down(rule, evidence: dict[str, Evidence]) -> str | None:
    holding = [alt for alt in _rules(rule) if alt.holds(evidence)]
    if len(holding) != 1:
        return None  # no rule holds (level 0), or several ways reach the level: not at its edge
    for clause in holding[0].clauses:
        true = [c for c in clause if c.holds(evidence)]
        if len(true) == 1 and _barely_holds(true[0], evidence):
            return str(true[0])
    return None


def decisiveness(line, evidence: dict[str, Evidence], level: int, capped: bool) -> Decisiveness:
    """Whether the level is clear of both neighbours' boundaries (a cap that applied decides by itself)."""
    if capped:
        return Decisiveness(True)
    upper = line.rules.get(level + 1) if level < 3 else None
    near = _near_up(upper, evidence) if upper is not None else None
    if near:
        return Decisiveness(False, f"one condition short of level {level + 1}: {near}")
    own = line.rules.get(level) if level > 0 else None
    near = _near_down(own, evidence) if own is not None else None
    if near:
        return Decisiveness(False, f"only just at level {level}: {near}")
    return Decisiveness(True)
