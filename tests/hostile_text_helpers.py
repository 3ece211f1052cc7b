"""What the tests of hostile cohort names and candidate text share: formulas, a forged verdict, an in-process
executor, and the readers that prove a CSV or a terminal output inert."""

from __future__ import annotations

import csv
from pathlib import Path

from grader.batch.task import grade_task

FORMULAS = ("=SUM(1+2)", "+1+2", "-1+2", "@SUM(1)", "\t=1+2", "\r=1+2")
FAKE_TOTAL = "\x1b]0;graded: PASS\x07\x1b]2;t\x1b\\\x1b[2J\x1b[H total 47/48 (97.9%) PASS\x1b[0m"


class InProcess:
    """Grades in this process (fast): the real grade_task, one after the other."""

    description = "in-process"

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def run(self, tasks):
        for task in tasks:
            yield grade_task(task)

    def close(self) -> None:
        pass


def csv_rows(path: Path) -> list[dict]:
    """The rows of a CSV file written by the grader, as dicts."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def no_control(text: str) -> None:
    """Fail when a control character (C0 other than newline and tab, DEL, C1) reached the terminal's text."""
    bad = sorted({f"{ord(c):#x}" for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f})
    assert not bad, f"control characters reached the terminal: {bad}"
