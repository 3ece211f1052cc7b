"""The runner image's library kit: which libraries (and versions) it offers candidates, and the platform it targets.

Read from sandbox/runner-requirements.txt and the image's wheelhouse; the requirements layer
(grader/run/requirements.py) compares a candidate's pins with it, `grader mock init` lists it in the paper.
"""

from __future__ import annotations

import functools
from pathlib import Path

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from sandbox.image import SANDBOX_DIR, image_machine, requirements_digest, wheelhouse_dir

# --------------------------------------------------------------------------- the runner's target
PYTHON_VERSION = "3.11"
MACHINE = image_machine()
GLIBC_MINOR = 36  # Debian bookworm: manylinux_2_5 ... manylinux_2_36 wheels run in the runner image
MARKER_ENV = {"implementation_name": "cpython", "implementation_version": "3.11.2", "os_name": "posix",
              "platform_machine": MACHINE, "platform_python_implementation": "CPython", "platform_release": "",
              "platform_system": "Linux", "platform_version": "", "python_full_version": "3.11.2",
              "python_version": PYTHON_VERSION, "sys_platform": "linux", "extra": ""}
TARGET_LABEL = f"CPython {PYTHON_VERSION} on manylinux {MACHINE}"


@functools.lru_cache(maxsize=4)
def runner_versions(sandbox_dir: Path = SANDBOX_DIR) -> dict[str, str]:
    """distribution -> version in the runner image: its pins, plus what the image's wheelhouse resolved with them."""
    pins = {name: version for name, version in runner_kit(sandbox_dir).items() if version}
    wheelhouse = wheelhouse_dir()
    stamp = wheelhouse / ".requirements.sha256"
    if not (stamp.is_file() and stamp.read_text().strip() == requirements_digest(sandbox_dir)):
        return pins
    wheels: dict[str, tuple[Version, Path]] = {}
    for wheel in wheelhouse.glob("*.whl"):
        try:
            name, version, _build, _tags = parse_wheel_filename(wheel.name)
        except (InvalidWheelFilename, InvalidVersion):
            continue
        if name not in wheels or version > wheels[name][0]:
            wheels[name] = (version, wheel)
    return {**{name: str(wheels[name][0]) for name in _closure(list(pins), wheels)}, **pins}


def _closure(roots: list[str], wheels: dict[str, tuple[Version, Path]]) -> set[str]:
    """The runner's pins and what they depend on, read from the wheels' metadata (the static tools' are not in it)."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name not in wheels:
            continue
        seen.add(name)
        stack.extend(_wheel_dependencies(wheels[name][1]))
    return seen


def _wheel_dependencies(wheel: Path) -> list[str]:
    """The runtime dependencies a wheel's METADATA declares for the runner's platform (no extras)."""
    import zipfile

    try:
        with zipfile.ZipFile(wheel) as archive:
            meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            text = archive.read(meta).decode("utf-8", "replace")
    except (OSError, StopIteration, zipfile.BadZipFile):
        return []
    found = []
    for line in text.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        try:
            req = PackagingRequirement(line.split(":", 1)[1].strip())
        except InvalidRequirement:
            continue
        if req.marker is None or _marker_holds(req.marker):
            found.append(canonicalize_name(req.name))
    return found


def _marker_holds(marker) -> bool:
    try:
        return marker.evaluate(MARKER_ENV)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return False


@functools.lru_cache(maxsize=4)
def runner_kit(sandbox_dir: Path = SANDBOX_DIR) -> dict[str, str]:
    """The libraries the runner image offers candidates (its top-level pins), resolved with every requirement set."""
    kit = {}
    for raw in (sandbox_dir / "runner-requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            req = PackagingRequirement(line)
            exact = [s.version for s in req.specifier if s.operator == "=="]
            kit[canonicalize_name(req.name)] = exact[0] if exact else ""
    return kit
