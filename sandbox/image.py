"""Builds the runner image from the top-level Dockerfile, offline when no registry answers.

The wheels are downloaded on the host into build/wheelhouse (the image build itself needs no
network), and the image tag is a hash of everything that goes into it, so a changed Dockerfile or
requirement pin rebuilds it and an unchanged one is reused.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

RUNNER_REPO = "aie-grader/runner"
OFFLINE_BASE = "aie-grader/base:bookworm-gomp"
DEFAULT_BASE = "python:3.11-slim"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FILES = ("sandbox/runner-requirements.txt", "sandbox/static-requirements.txt")
IMAGE_INPUTS = ("Dockerfile", ".dockerignore", *REQUIREMENT_FILES, "sandbox/entry.sh", "sandbox/aie_boot.py")


def image_tag(root: Path = PROJECT_ROOT) -> str:
    """The runner image's tag: a digest of the files that define it."""
    digest = hashlib.sha256()
    for name in IMAGE_INPUTS:
        digest.update(name.encode())
        digest.update((root / name).read_bytes())
    return f"{RUNNER_REPO}:{digest.hexdigest()[:12]}"


def requirements_digest(root: Path = PROJECT_ROOT) -> str:
    """A digest of the runner's and the static tools' pinned requirements."""
    digest = hashlib.sha256()
    for name in REQUIREMENT_FILES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def ensure_wheelhouse(root: Path = PROJECT_ROOT, log: Callable[[str], None] = print) -> Path:
    """Download the runner's wheels on the host once per requirements file."""
    wheelhouse = root / "build" / "wheelhouse"
    stamp = wheelhouse / ".requirements.sha256"
    wanted = requirements_digest(root)
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return wheelhouse
    wheelhouse.mkdir(parents=True, exist_ok=True)
    log(f"downloading runner wheels into {wheelhouse}")
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "-d", str(wheelhouse)]
    for name in REQUIREMENT_FILES:
        cmd += ["-r", str(root / name)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
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


def ensure_runner_image(client, root: Path = PROJECT_ROOT, log: Callable[[str], None] = print) -> str:
    """Return the runner image tag, building it first when it is missing."""
    tag = image_tag(root)
    try:
        client.images.get(tag)
        return tag
    except Exception:
        pass
    ensure_wheelhouse(root, log)
    base = pick_base_image(client)
    log(f"building runner image {tag} on {base}")
    errors: list[str] = []
    for chunk in client.api.build(path=str(root), tag=tag, buildargs={"BASE_IMAGE": base}, rm=True,
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
