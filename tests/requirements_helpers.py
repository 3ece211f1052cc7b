"""A submission's files written from a dict, and the CheckContext ENV003 reads: shared by the requirements tests."""

from __future__ import annotations

from pathlib import Path

from checks.context import CheckContext


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write each relative path's text or bytes under root and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def context(tmp_path: Path, environment: dict | None) -> CheckContext:
    """A context holding only requirements.txt and the given environment record (none: installing was off)."""
    return CheckContext(root=tmp_path, python_files=[], notebooks=[], readme=None, run_script=None,
                        requirement_files=["requirements.txt"], environment=environment)

