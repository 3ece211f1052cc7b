"""The requirement lines of a requirements.txt as the checks read them: (name, version spec)."""

from __future__ import annotations

import re


def parse_requirements(text: str) -> list[tuple[str, str]]:
    """(name, version spec) of each requirement line of a requirements.txt."""
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(("-", "git+", "http")):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$", line)
        if match:
            out.append((match.group(1).lower(), match.group(3).strip()))
    return out
