"""The shape of a check: a stable code, a rule-style doc, and Evidence with file:line locations."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from checks.context import CheckContext

OK = "ok"  # the check ran and measured something
NOT_APPLICABLE = "not_applicable"  # nothing to measure (e.g. no notebook): the line's rules decide
ERROR = "error"  # the check could not run: its lines are not assessed from it
PLACEHOLDER = re.compile(r"<[^<>]+>")  # `recall_<class>` in a declared metric name: a family of metrics


def declares(declared: Iterable[str], metric: str) -> bool:
    """Whether `metric` is one of the `declared` names; a `<...>` placeholder stands for any non-empty text."""
    for name in declared:
        if name == metric:
            return True
        if PLACEHOLDER.search(name) and re.fullmatch(".+".join(map(re.escape, PLACEHOLDER.split(name))), metric):
            return True
    return False


@dataclass(frozen=True)
class Location:
    """Where in the submission a piece of evidence sits."""

    path: str
    line: int | None = None
    snippet: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Evidence:
    """What one check found: metrics the rubric's level rules read, and findings a person reads."""

    code: str
    name: str
    lines: tuple[str, ...]
    status: str
    summary: str
    metrics: dict[str, float | int | bool | str] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    confidence: float = 1.0
    data: dict[str, object] = field(default_factory=dict)  # structured extras for reports (e.g. baselines)


class Check(ABC):
    """A rule: what it looks for (`summary`), why it matters for its rubric line (`rationale`)."""

    code: ClassVar[str]
    name: ClassVar[str]
    lines: ClassVar[tuple[str, ...]]
    summary: ClassVar[str]
    rationale: ClassVar[str]
    example: ClassVar[str] = ""
    kind: ClassVar[str] = "static"
    metrics: ClassVar[dict[str, str]] = {}  # every metric the check can emit -> its meaning (the rubric reads these)

    @abstractmethod
    def run(self, ctx: CheckContext) -> Evidence:
        """Measure the submission in ctx and return the evidence."""

    def without_code(self, ctx: CheckContext) -> Evidence | None:
        """The not-applicable evidence of a code check when no .py file parsed, else None."""
        if ctx.parsed_sources:
            return None
        return self.evidence(NOT_APPLICABLE, "no parseable .py file", findings=ctx.source_problems)

    def evidence(self, status: str, summary: str, **kwargs) -> Evidence:
        return Evidence(code=self.code, name=self.name, lines=self.lines, status=status, summary=summary, **kwargs)

    def __call__(self, ctx: CheckContext) -> Evidence:
        """Run the check; a bug in a check becomes an error evidence, never a crashed grading."""
        try:
            return self.run(ctx)
        except Exception as exc:  # noqa: BLE001 - contain one check's failure, the others still run
            return self.evidence(ERROR, f"check failed: {type(exc).__name__}: {exc}", confidence=0.0)
