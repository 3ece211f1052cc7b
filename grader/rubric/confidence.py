"""How far a line's level can be trusted, and where a person should look first.

A line's confidence starts from its prior (the rubric's `confidence`, the share of that line the grader got
right on the calibration corpus's tuning half). It is halved, and the line flagged `needs_review`, when the
level stands out of the submission's profile: it differs by OUT_OF_PROFILE or more from the mean level of the
submission's other lines. The marking guide (§3) says assessors' differences gather on mixed-profile
submissions, and measured so it is: on the corpus, lines out of profile were right about half the time, the
others more than nine times in ten, where a level at a rule's boundary was right as often as a clear one.

The boundary is still named in the reason (a note for the reader, not a flag):
- up: the next level's rule fails on a single clause, and that clause is close (a number within 25% of its
  threshold, or a yes/no read from prose, which the grader reads less reliably than code or a run);
- down: the level's own rule holds only just (a share or score within 10% of its threshold, or a count of 3
  or more exactly at it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from checks.base import OK, Evidence

BOUNDARY = "; near a boundary: "
OUT_OF_PROFILE_NOTE = "; out of profile: "
UNCONFIRMED = "; unconfirmed: "
OUT_OF_PROFILE = 0.75  # levels from the mean of the submission's other lines
MIN_PROFILE_LINES = 6  # fewer scored lines make no profile
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


def review_out_of_profile(results: list, scored_status: str) -> list:
    """The line results, each line whose level stands out of the submission's profile halved and flagged."""
    levels = [r.level for r in results if r.status == scored_status and r.level is not None]
    if len(levels) < MIN_PROFILE_LINES:
        return list(results)
    total = sum(levels)
    out = []
    for result in results:
        if result.status == scored_status and result.level is not None:
            others = (total - result.level) / (len(levels) - 1)
            if abs(result.level - others) >= OUT_OF_PROFILE:
                result = replace(result, confidence=round(result.confidence * 0.5, 2), needs_review=True,
                                 reason=f"{result.reason}{OUT_OF_PROFILE_NOTE}level {result.level} against a mean "
                                        f"of {others:.1f} on the other lines (assessors differ most where a line "
                                        f"stands out of the submission's profile)")
        out.append(result)
    return out
