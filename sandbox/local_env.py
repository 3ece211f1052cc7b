"""The local runner's Python environment: the runner image's libraries in a venv any uid can run.

When the grader runs as root, the local runner drops to a throw-away uid, which cannot use an
interpreter under /root (pyenv, say). This venv, built from the system Python and the same wheels
as the runner image, is what that uid runs. Candidates running as themselves use their own Python.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sandbox.image import PROJECT_ROOT, REQUIREMENT_FILES, ensure_wheelhouse, requirements_digest

LOCAL_ENV = PROJECT_ROOT / "build" / "local-runner"


def local_python() -> Path | None:
    """The local runner venv's interpreter when it is built and current."""
    python = LOCAL_ENV / "bin" / "python"
    stamp = LOCAL_ENV / ".requirements.sha256"
    if python.exists() and stamp.exists() and stamp.read_text() == _wanted():
        return python
    return None


def _wanted() -> str:
    return requirements_digest()


def ensure_local_env(log: Callable[[str], None] = print) -> Path:
    """Build (once) a venv from the system Python with the runner image's pinned libraries."""
    existing = local_python()
    if existing:
        return existing
    base = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    wheelhouse = ensure_wheelhouse(log=log)
    log(f"building the local runner environment in {LOCAL_ENV} from {base}")
    shutil.rmtree(LOCAL_ENV, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(LOCAL_ENV)], check=True, capture_output=True)
    proc = subprocess.run([str(LOCAL_ENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index",
                           "--find-links", str(wheelhouse),
                           *[arg for name in REQUIREMENT_FILES for arg in ("-r", str(PROJECT_ROOT / name))]],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"installing the local runner environment failed:\n{proc.stderr[-2000:]}")
    for path in [LOCAL_ENV, *LOCAL_ENV.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    (LOCAL_ENV / ".requirements.sha256").write_text(_wanted())
    return LOCAL_ENV / "bin" / "python"


if __name__ == "__main__":
    print(ensure_local_env())
