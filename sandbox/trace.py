"""Reading what the in-sandbox tracer wrote (sandbox/tools/aie_tracer.py), with caps: it is hostile input."""

from __future__ import annotations

import json
from pathlib import Path

MAX_TRACE_EVENTS = 60_000
MAX_TRACE_BYTES = 48 * 1024 * 1024
MAX_LINE_BYTES = 512 * 1024


def read_trace(trace_dir: Path) -> tuple[list[dict], list[str]]:
    """The events of every traced process, in time order, and the problems met reading them."""
    events: list[dict] = []
    problems: list[str] = []
    budget = MAX_TRACE_BYTES
    if not trace_dir.is_dir():
        return events, problems
    for path in sorted(trace_dir.glob("trace-*.jsonl")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as fh:
            for raw in fh:
                budget -= len(raw)
                if budget < 0 or len(events) >= MAX_TRACE_EVENTS:
                    problems.append("trace truncated at the grader's cap")
                    return _ordered(events), problems
                if len(raw) > MAX_LINE_BYTES:
                    problems.append(f"{path.name}: an over-long trace line was skipped")
                    continue
                try:
                    event = json.loads(raw)
                except ValueError:
                    problems.append(f"{path.name}: a malformed trace line was skipped")
                    continue
                if isinstance(event, dict) and isinstance(event.get("ev"), str):
                    events.append(event)
    return _ordered(events), problems


def _ordered(events: list[dict]) -> list[dict]:
    def key(item: tuple[int, dict]) -> tuple[float, int]:
        index, event = item
        t = event.get("t")
        return (float(t) if isinstance(t, (int, float)) else 0.0, index)

    return [event for _index, event in sorted(enumerate(events), key=key)]
