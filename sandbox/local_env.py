"""The local runner's Python environment: the runner image's libraries in a venv, built on first use.

The local runner runs candidates' code with the same libraries as the runner image (pandas, scikit-learn,
matplotlib, seaborn, nbclient, ...), never with the grader's own interpreter, whose packages are the
grader's. As root the runner drops to a throw-away uid, so the venv lives where any uid can read it
(sandbox.cache.shared_root).
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sandbox.cache import shared_root
from sandbox.image import IMAGE_PYTHON, ensure_wheelhouse, requirement_paths, requirements_digest


def local_env_dir() -> Path:
    return shared_root() / "local-runner"


def local_python() -> Path | None:
    """The local runner venv's interpreter when it is built and current."""
    env = local_env_dir()
    python = env / "bin" / "python"
    stamp = env / ".requirements.sha256"
    if python.exists() and stamp.exists() and stamp.read_text() == requirements_digest():
        return python
    return None


def base_python() -> str:
    """The interpreter the venv is made from: the system's Python 3.11 when there is one, else the grader's."""
    for candidate in (f"/usr/bin/python{IMAGE_PYTHON}", "/usr/bin/python3"):
        if Path(candidate).exists() and _version(candidate) == IMAGE_PYTHON:
            return candidate
    return sys.executable


def _version(python: str) -> str:
    proc = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def _install(env: Path, log: Callable[[str], None]) -> subprocess.CompletedProcess:
    """From the image's wheelhouse when its wheels fit this interpreter, else from the package index."""
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    reqs = [arg for path in requirement_paths() for arg in ("-r", str(path))]
    try:
        wheelhouse = ensure_wheelhouse(log=log)
    except RuntimeError as exc:
        log(f"no wheelhouse ({exc}); installing from the package index")
    else:
        proc = subprocess.run([*pip, "--no-index", "--find-links", str(wheelhouse), *reqs],
                              capture_output=True, text=True, check=False)
        if proc.returncode == 0:
            return proc
        log("the image's wheels do not fit this machine's Python; installing from the package index")
    return subprocess.run([*pip, *reqs], capture_output=True, text=True, check=False)


def ensure_local_env(log: Callable[[str], None] = print) -> Path:
    """Build (once) a venv with the runner image's pinned libraries; said before the download starts.

    Gradings in parallel (a batch's workers, test runs) may all ask at once: one builds, under a file lock,
    and the others wait for it and reuse the result."""
    existing = local_python()
    if existing:
        return existing
    env = local_env_dir()
    env.parent.mkdir(parents=True, exist_ok=True)
    with open(env.parent / "local-runner.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        existing = local_python()  # built by another process while this one waited
        return existing or _build(env, log)


def _build(env: Path, log: Callable[[str], None]) -> Path:
    base = base_python()
    log(f"first use of the local runner: building its environment in {env} from {base} "
        f"(the grading environment's libraries, about 150 MB to download)")
    shutil.rmtree(env, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(env)], check=True, capture_output=True)
    proc = _install(env, log)
    if proc.returncode != 0:
        raise RuntimeError(f"installing the local runner environment failed:\n{proc.stderr[-2000:]}")
    for path in [env.parent, env, *env.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    (env / ".requirements.sha256").write_text(requirements_digest())
    return env / "bin" / "python"


if __name__ == "__main__":
    print(ensure_local_env())
