"""Just enough TOML writing for assessment.toml: scalars, lists, inline tables, and [tables] in order."""

from __future__ import annotations

import json
import math


def value(item: object) -> str:
    """One TOML value."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return repr(item) if math.isfinite(item) else ("nan" if math.isnan(item) else ("inf" if item > 0 else "-inf"))
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(item, list | tuple):
        return "[" + ", ".join(value(v) for v in item) + "]"
    if isinstance(item, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    raise TypeError(f"cannot write {type(item).__name__} as TOML")


def key(name: str) -> str:
    bare = name.replace("_", "").replace("-", "").isalnum() and name.isascii()
    return name if bare else json.dumps(name, ensure_ascii=False)


def dumps(document: dict, comments: dict[str, str] | None = None) -> str:
    """Top-level scalars first, then one [table] per dict; `comments` puts a `# line` above a table."""
    comments = comments or {}
    lines = [f"# {line}" if line else "#" for line in comments.get("", "").splitlines()]
    lines += [f"{key(k)} = {value(v)}" for k, v in document.items() if not isinstance(v, dict) and v is not None]
    for name, table in document.items():
        if not isinstance(table, dict):
            continue
        lines.append("")
        lines += [f"# {line}" for line in comments.get(name, "").splitlines()]
        lines += _table([name], table)
    return "\n".join(lines) + "\n"


def _table(path: list[str], table: dict) -> list[str]:
    plain = {k: v for k, v in table.items() if not (isinstance(v, dict) and _is_section(v))}
    lines = [f"[{'.'.join(key(part) for part in path)}]"]
    lines += [f"{key(k)} = {value(v)}" for k, v in plain.items() if v is not None]
    for sub, inner in table.items():
        if isinstance(inner, dict) and _is_section(inner):
            lines.append("")
            lines += _table([*path, sub], inner)
    return lines


def _is_section(table: dict) -> bool:
    """A nested dict written as its own [a.b] table (a long one), not inline."""
    return len(table) > 4
