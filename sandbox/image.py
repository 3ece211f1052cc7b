"""Builds the runner image from sandbox/Dockerfile, offline when no registry answers.

Everything that defines the image ships inside the package (so an installed wheel can build it). The
build context is assembled in the user's cache: those files plus a wheelhouse downloaded on the host for
the image's platform (CPython 3.11, manylinux, this machine's architecture), so the build itself needs no
network. The image tag is a hash of the defining files: a changed Dockerfile or pin rebuilds it, an
unchanged one is reused.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sandbox.cache import cache_root

RUNNER_REPO = "aie-grader/runner"
OFFLINE_BASE = "aie-grader/base:bookworm-gomp"
DEFAULT_BASE = "python:3.11-slim"
SANDBOX_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SANDBOX_DIR.parent  # where the grader's packages sit: the checkout, or site-packages
REQUIREMENT_FILES = ("runner-requirements.txt", "static-requirements.txt")
IMAGE_INPUTS = ("Dockerfile", *REQUIREMENT_FILES, "entry.sh", "aie_boot.py")
IMAGE_PYTHON = "3.11"


def image_tag(sandbox_dir: Path = SANDBOX_DIR) -> str:
    """The runner image's tag: a digest of the files that define it."""
    digest = hashlib.sha256()
    for name in IMAGE_INPUTS:
        digest.update(name.encode())
        digest.update((sandbox_dir / name).read_bytes())
    return f"{RUNNER_REPO}:{digest.hexdigest()[:12]}"


def requirements_digest(sandbox_dir: Path = SANDBOX_DIR) -> str:
    """A digest of the runner's and the static tools' pinned requirements."""
    digest = hashlib.sha256()
    for name in REQUIREMENT_FILES:
        digest.update((sandbox_dir / name).read_bytes())
    return digest.hexdigest()


def requirement_paths(sandbox_dir: Path = SANDBOX_DIR) -> list[Path]:
    return [sandbox_dir / name for name in REQUIREMENT_FILES]


def context_dir() -> Path:
    """The image's build context (Dockerfile, tools, wheelhouse), in the user's cache."""
    return cache_root() / "runner-image"


def wheelhouse_dir() -> Path:
    return context_dir() / "wheelhouse"


def image_machine() -> str:
    """The Linux architecture of the image: the engine runs this machine's architecture."""
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def download_command(wheelhouse: Path, sandbox_dir: Path = SANDBOX_DIR) -> list[str]:
    """pip download of the runner's wheels for the image's platform, whatever the host's OS and Python."""
    machine = image_machine()
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--only-binary=:all:", "--implementation", "cp", "--python-version", IMAGE_PYTHON,
           "-d", str(wheelhouse)]
    for tag in ("manylinux2014", "manylinux_2_28", "manylinux_2_34", "manylinux_2_35", "manylinux_2_36"):
        cmd += ["--platform", f"{tag}_{machine}"]
    for path in requirement_paths(sandbox_dir):
        cmd += ["-r", str(path)]
    return cmd


def ensure_wheelhouse(sandbox_dir: Path = SANDBOX_DIR, log: Callable[[str], None] = print) -> Path:
    """Download the runner's wheels on the host once per requirements set (about 150 MB, said before it starts)."""
    wheelhouse = wheelhouse_dir()
    stamp = wheelhouse / ".requirements.sha256"
    wanted = requirements_digest(sandbox_dir)
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return wheelhouse
    wheelhouse.mkdir(parents=True, exist_ok=True)
    log(f"first use: downloading the grading environment's libraries (pandas, scikit-learn, matplotlib, ...; "
        f"about 150 MB) into {wheelhouse}")
    proc = subprocess.run(download_command(wheelhouse, sandbox_dir), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"pip download of the runner wheels failed:\n{proc.stderr[-2000:]}")
    stamp.write_text(wanted)
    return wheelhouse


def pick_base_image(client) -> str:
    """The base to build on: $AIE_GRADER_BASE_IMAGE, the local offline base if present, else python:3.11-slim."""
    chosen = os.environ.get("AIE_GRADER_BASE_IMAGE")
    if chosen:
        return chosen
    try:
        client.images.get(OFFLINE_BASE)
        return OFFLINE_BASE
    except Exception:  # docker.errors.ImageNotFound, kept generic to avoid importing docker here
        return DEFAULT_BASE


def prepare_context(sandbox_dir: Path = SANDBOX_DIR, log: Callable[[str], None] = print) -> Path:
    """The build context: the image's files copied beside the wheelhouse."""
    ensure_wheelhouse(sandbox_dir, log)
    context = context_dir()
    for name in IMAGE_INPUTS:
        shutil.copyfile(sandbox_dir / name, context / name)
    (context / ".dockerignore").write_text("*\n" + "".join(f"!{name}\n" for name in (*IMAGE_INPUTS, "wheelhouse")))
    return context


def ensure_runner_image(client, sandbox_dir: Path = SANDBOX_DIR, log: Callable[[str], None] = print) -> str:
    """Return the runner image tag, building it first when it is missing."""
    tag = image_tag(sandbox_dir)
    try:
        client.images.get(tag)
        return tag
    except Exception:
        pass
    context = prepare_context(sandbox_dir, log)
    base = pick_base_image(client)
    log(f"first use: building the runner image {tag} on {base} (a few minutes, once)")
    errors: list[str] = []
    for chunk in client.api.build(path=str(context), tag=tag, buildargs={"BASE_IMAGE": base}, rm=True,
                                  forcerm=True, decode=True):
        if "error" in chunk:
            errors.append(str(chunk["error"]))
        elif "stream" in chunk and os.environ.get("AIE_GRADER_VERBOSE_BUILD"):
            log(chunk["stream"].rstrip())
    if errors:
        raise RuntimeError(f"building the runner image failed: {' '.join(errors)[-2000:]}")
    return tag


def main() -> int:
    """`python -m sandbox.image`: build the runner image (used by the install scripts)."""
    import docker

    client = docker.from_env()
    print(ensure_runner_image(client))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
