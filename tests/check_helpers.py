"""Small submissions written by tests, as a CheckContext the static checks read (shared by the check tests)."""

from __future__ import annotations

from pathlib import Path

from checks.context import CheckContext

COLUMNS = ("delivery_id", "distance_km", "weather", "late")


def make(tmp_path: Path, files: dict[str, str | bytes]) -> CheckContext:
    """Write `files` under tmp_path/sub and return their context (python files and notebooks listed)."""
    root = tmp_path / "sub"
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    py = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    nbs = sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb"))
    return CheckContext(root=root, python_files=py, notebooks=nbs, readme=None, run_script=None,
                        requirement_files=[], dataset_columns=COLUMNS, target="late")
