"""The candidate's requirements: read without running anything, compared with the runner image, installed as a layer.

Assessors of this test run `pip install -r requirements.txt` before `run.sh`. The grader does the
same without giving the container a network and without running any of the candidate's code on the
host:

1. `parse_requirements` reads requirements*.txt (with `-r` includes inside the submission),
   environment.yml / conda.yml and pyproject.toml. Anything that would make pip fetch code from
   outside the package index, build it, or look elsewhere (URLs, VCS, local paths, `-e`, index and
   find-links options, `--pre`, `--no-binary`) is refused and recorded with its file:line.
2. Each requirement is compared with the runner image's own pins: satisfied, a different version,
   or missing from the image.
3. `prepare_layer` resolves the whole set together into one consistent environment
   (grader/run/resolver.py: uv, wheels only, for the runner's Python and platform, as of the round's
   date when the pack gives one, the runner's own libraries resolved with it), installs the
   versions the runner image does not already have with `uv pip install --no-deps --target`
   (unpacking wheels: nothing of the candidate executes), and renames the result into the cache.
   Pins that cannot be had are relaxed as a set, GPU builds are left out, and the report says so.

The layer is mounted read-only in the container and put at the front of sys.path
(sandbox/tools/hook.py), so its packages shadow the runner's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from grader.run.resolver import Resolution, Resolver, run_uv, target_args, uv_binary, uv_error
from sandbox.kit import MACHINE, MARKER_ENV, TARGET_LABEL, runner_kit, runner_versions

try:
    import yaml
except ImportError:  # environment.yml files become a finding instead
    yaml = None

Log = Callable[[str], None]

RESOLVER_VERSION = "2"  # bump to invalidate every cached layer

# --------------------------------------------------------------------------- limits
MAX_FILE_BYTES = 1_000_000  # a requirements / pyproject file larger than this is not read
MAX_YAML_BYTES = 256_000
MAX_ENTRIES = 1000  # requirements per submission
MAX_INCLUDE_DEPTH = 5
DEFAULT_BUDGET_S = 900.0  # all pip download runs of one prepare_layer call
INSTALL_TIMEOUT_S = 1800.0
MAX_WHEELS_BYTES = 2_000_000_000  # e.g. torch with its CUDA wheels: not installed, reported
STALE_S = 6 * 3600  # half-built folders older than this are left-overs of a killed grading

PINNED, RANGED, UNPINNED = "pinned", "ranged", "unpinned"

# Names a requirement may use for a distribution the runner has under another name.
RUNNER_ALIASES = {"xgboost": "xgboost-cpu"}  # same `import xgboost`, without the CUDA libraries
MISNAMED = {"sklearn": "scikit-learn"}  # the import name written as a requirement
# conda package name -> PyPI distribution name, where they differ
CONDA_TO_PYPI = {"py-xgboost": "xgboost", "py-xgboost-cpu": "xgboost-cpu", "pytorch": "torch", "pytorch-cpu": "torch",
                 "matplotlib-base": "matplotlib", "py-opencv": "opencv-python", "pytables": "tables",
                 "msgpack-python": "msgpack", "python-graphviz": "graphviz", "pyqt": "pyqt5",
                 "tensorflow-base": "tensorflow", "lightgbm-cpu": "lightgbm"}
# conda packages that are not Python distributions (interpreter, C libraries, toolchain)
CONDA_SYSTEM = {"python", "pip", "ca-certificates", "openssl", "certifi-conda", "tk", "xz", "zlib", "bzip2",
                "ncurses", "readline", "sqlite", "vc", "vs2015_runtime", "ucrt", "intel-openmp", "mkl", "mkl-service",
                "mkl_fft", "mkl_random", "blas", "openblas", "cudatoolkit", "cudnn", "icu", "krb5", "expat", "lz4-c",
                "zstd", "jpeg", "freetype", "fontconfig", "tbb", "llvm-openmp", "pthread-stubs", "yaml", "gmp", "mpfr",
                "nodejs", "r-base", "graphviz", "conda", "mamba", "jupyter_core-conda", "ld_impl_linux-64",
                "tzdata-conda", "xorg-libxau", "xorg-libxdmcp", "dbus", "glib", "gst-plugins-base", "gstreamer",
                "qt", "qt-main", "pcre", "pcre2", "lerc", "giflib", "c-ares", "brotli", "brotli-bin", "zeromq",
                "libsodium"}
PIP_INDEX_OPTIONS = {"-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links", "--trusted-host"}
PIP_IGNORED_OPTIONS = {"--prefer-binary", "--only-binary", "--require-hashes", "--hash", "--no-cache-dir", "--upgrade",
                       "-U", "--progress-bar", "--quiet", "-q", "--verbose", "-v"}
NAMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(@|[<>=!~;(]|$)")
ARCHIVE_SUFFIXES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


# --------------------------------------------------------------------------- what parsing gives back
@dataclass
class Requirement:
    """One package the submission asks for, where it asked, and what the grader did with it."""

    name: str  # as written
    key: str  # the canonical distribution name used for the runner and for pip
    specifier: str  # PEP 440, "" when unpinned
    file: str
    line: int
    group: str  # the top-level file it belongs to (an included file's requirements belong to the includer)
    extras: tuple[str, ...] = ()
    marker: str = ""
    applies: bool = True  # its environment marker holds for the runner
    runner_version: str | None = None
    action: str = ""
    installed_version: str | None = None
    reason: str = ""  # why it fell back, when it did

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def pinning(self) -> str:
        specs = list(SpecifierSet(self.specifier))
        if any(s.operator in ("==", "===") and not s.version.endswith(".*") for s in specs):
            return PINNED
        return RANGED if specs else UNPINNED

    @property
    def display(self) -> str:
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        return f"{self.name}{extras}{self.specifier}"

    @property
    def runner_satisfies(self) -> bool:
        if self.runner_version is None or self.extras:
            return False
        return SpecifierSet(self.specifier).contains(self.runner_version, prereleases=True)

    def pip_line(self) -> str:
        """What the grader gives pip: name, extras and version only (never the candidate's options or URLs)."""
        extras = f"[{','.join(sorted(self.extras))}]" if self.extras else ""
        return f"{self.key}{extras}{self.specifier}"

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "distribution": self.key, "spec": self.specifier, "extras": list(self.extras),
                "marker": self.marker, "location": self.location, "file": self.file, "line": self.line,
                "source": self.group, "pinning": self.pinning, "applies": self.applies,
                "runner_version": self.runner_version, "action": self.action,
                "installed_version": self.installed_version, "reason": self.reason}


@dataclass(frozen=True)
class Refused:
    """A line the grader will not hand to pip, and why."""

    file: str
    line: int
    text: str
    reason: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, object]:
        return {"location": self.location, "file": self.file, "line": self.line, "text": self.text,
                "reason": self.reason}


@dataclass
class RequirementSet:
    """Every requirement of the submission's environment files, the lines refused, and the problems found."""

    files: list[str] = field(default_factory=list)
    primary: str | None = None  # the file that gets installed (requirements.txt first, as the assessors do)
    requirements: list[Requirement] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Requirement]:
        """The requirements of the primary file (and its includes) whose markers hold for the runner."""
        return [r for r in self.requirements if r.group == self.primary and r.applies]

    def compare(self, runner: dict[str, str]) -> None:
        """Record each requirement's runner version and what the runner image alone gives it."""
        for req in self.requirements:
            req.runner_version = runner.get(req.key)
            if req.group != self.primary:
                req.action = f"not installed: {self.primary} is the file installed"
            elif not req.applies:
                req.action = f"not for this platform (marker `{req.marker}`)"
            elif req.runner_satisfies:
                req.action = "runner satisfies"
            elif req.runner_version is None:
                req.action = "missing from the runner image"
            else:
                req.action = f"runner has {req.runner_version}"

    def counts(self) -> dict[str, int]:
        active = self.active
        return {"requirements": len(active), "refused": len(self.refused),
                "pinned": sum(r.pinning == PINNED for r in active),
                "unpinned": sum(r.pinning == UNPINNED for r in active),
                "missing_from_runner": sum(r.runner_version is None for r in active),
                "installed": sum(r.action.startswith("installed") for r in active),
                "fallbacks": sum(r.action.startswith("fell back") for r in active)}

    def to_dict(self, install_on: bool = False) -> dict[str, object]:
        """The report when the install step is off: what the runner image gives each requirement."""
        return {"install_on": install_on, "files": self.files, "primary": self.primary,
                "requirements": [r.to_dict() for r in self.requirements],
                "refused": [r.to_dict() for r in self.refused], "findings": list(self.findings),
                "fallbacks": [], "layer": None, "cached": False, "counts": self.counts(),
                "timings": {"download_s": 0.0, "install_s": 0.0, "total_s": 0.0}, "size_bytes": 0,
                "packages": {}, "shadowed": {}, "pip_runs": 0, "error": None, "target": TARGET_LABEL}


# --------------------------------------------------------------------------- parsing
@dataclass
class _Parse:
    root: Path
    out: RequirementSet
    seen: set[str] = field(default_factory=set)

    def finding(self, text: str) -> None:
        if text not in self.out.findings:
            self.out.findings.append(text)

    def refuse(self, rel: str, line: int, text: str, reason: str) -> None:
        self.out.refused.append(Refused(rel, line, text[:200], reason))

    def full(self) -> bool:
        if len(self.out.requirements) >= MAX_ENTRIES:
            self.finding(f"more than {MAX_ENTRIES} requirements: the rest are not read")
            return True
        return False


def parse_requirements(root: Path, files: list[str]) -> RequirementSet:
    """Read the submission's environment files (relative paths under root); never raises on their content."""
    out = RequirementSet(files=list(files))
    state = _Parse(root, out)
    order = sorted(files, key=_file_priority)
    out.primary = order[0] if order else None
    for rel in order:
        try:
            if rel.endswith(".txt"):
                _parse_txt(state, rel, rel, depth=0)
            elif rel.endswith((".yml", ".yaml")):
                _parse_conda(state, rel)
            elif PurePosixPath(rel).name == "pyproject.toml":
                _parse_pyproject(state, rel)
            else:
                state.finding(f"{rel}: not a requirements format the grader reads")
        except (OSError, RecursionError, ValueError) as exc:  # a file that defeats the parser is a finding
            state.finding(f"{rel}: could not be read ({type(exc).__name__}: {exc})")
    return out


def _file_priority(rel: str) -> tuple[int, str]:
    name = PurePosixPath(rel).name
    if name == "requirements.txt":
        return 0, rel
    if name.endswith(".txt"):
        return 1, rel
    if name.endswith((".yml", ".yaml")):
        return 2, rel
    return 3, rel


def _read(state: _Parse, rel: str, limit: int) -> bytes | None:
    path = state.root / rel
    try:
        if path.is_symlink() or not path.is_file():
            state.finding(f"{rel}: not a regular file inside the submission; not read")
            return None
        root = state.root.resolve()
        if not path.resolve().is_relative_to(root):
            state.finding(f"{rel}: outside the submission; not read")
            return None
        size = path.stat().st_size
        if size > limit:
            state.finding(f"{rel}: {size} bytes, over the {limit}-byte limit; not read")
            return None
        return path.read_bytes()
    except OSError as exc:
        state.finding(f"{rel}: cannot be read ({exc.strerror})")
        return None


def _read_text(state: _Parse, rel: str, limit: int) -> str | None:
    """The file as UTF-8 text, or None with a finding naming the file and the line of the bad byte."""
    raw = _read(state, rel, limit)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        state.finding(f"{rel}:{line}: not UTF-8; file not read")
        return None


def _decoded_lines(state: _Parse, rel: str, raw: bytes) -> list[tuple[int, str]]:
    """(line number, text) of each line that decodes; each that does not is a finding naming file:line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            state.finding(f"{rel}: UTF-16 that does not decode (byte {exc.start}); not read")
            return []
        return list(enumerate(text.splitlines(), start=1))
    if b"\x00" in raw:
        state.finding(f"{rel}: binary content (NUL bytes; UTF-16 without a byte-order mark?); not read")
        return []
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    lines = []
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append((number, chunk.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError as exc:
            state.finding(f"{rel}:{number}: not UTF-8 (byte {exc.start} of the line); line skipped")
    return lines


def _logical_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join backslash continuations and strip comments, keeping the first physical line's number."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, text in lines:
        if pending is not None:
            number, text = pending[0], pending[1] + text
            pending = None
        if text.endswith("\\"):
            pending = (number, text[:-1])
            continue
        text = re.sub(r"(^|\s+)#.*$", "", text).strip()
        if text:
            out.append((number, text))
    if pending is not None and pending[1].strip():
        out.append((pending[0], re.sub(r"(^|\s+)#.*$", "", pending[1]).strip()))
    return out


def _parse_txt(state: _Parse, rel: str, group: str, depth: int) -> None:
    state.seen.add(rel)
    raw = _read(state, rel, MAX_FILE_BYTES)
    if raw is None:
        return
    for number, text in _logical_lines(_decoded_lines(state, rel, raw)):
        if state.full():
            return
        _pip_line(state, rel, number, text, group, depth)


def _pip_line(state: _Parse, rel: str, number: int, text: str, group: str, depth: int) -> None:
    """One logical requirements line: an option, an include, or a PEP 508 requirement."""
    if text.startswith("-"):
        match = re.match(r"^(-[A-Za-z]|--[A-Za-z-]+)(?:\s*=\s*|\s+)?(.*)$", text)
        option, value = (match.group(1), match.group(2).strip()) if match else (text, "")
        if option in ("-r", "--requirement"):
            _include(state, rel, number, value, group, depth)
        elif option in ("-c", "--constraint"):
            state.finding(f"{rel}:{number}: constraints file `{value}` not applied")
        elif option in ("-e", "--editable"):
            state.refuse(rel, number, text, "an editable install of local or remote code (pip would run its build)")
        elif option in PIP_INDEX_OPTIONS:
            state.refuse(rel, number, text, f"`{option}` changes where pip looks for packages; the grader "
                                            "installs from its own package index only")
        elif option == "--pre":
            state.refuse(rel, number, text, "`--pre` lets pip pick pre-releases; not applied")
        elif option == "--no-binary":
            state.refuse(rel, number, text, "`--no-binary` makes pip build from source (runs the package's "
                                            "build code); the grader installs wheels only")
        elif option not in PIP_IGNORED_OPTIONS:
            state.refuse(rel, number, text, f"pip option `{option}` changes how pip builds or installs; not applied")
        return
    requirement, _, options = text.partition(" -")
    if options:
        flags = re.findall(r"(?:^|\s)(-[A-Za-z]|--[A-Za-z-]+)", "-" + options)
        if any(f != "--hash" for f in flags):
            state.refuse(rel, number, text, "per-requirement pip options change how pip builds or installs")
            return
    _requirement(state, rel, number, requirement.strip(), group)


def _include(state: _Parse, rel: str, number: int, value: str, group: str, depth: int) -> None:
    if "://" in value or value.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:", value):
        state.refuse(rel, number, f"-r {value}", "an include outside the submission (URL or absolute path)")
        return
    target = os.path.normpath(str(PurePosixPath(rel).parent / value.replace("\\", "/")))
    if target.startswith("..") or os.path.isabs(target):
        state.refuse(rel, number, f"-r {value}", "an include outside the submission")
        return
    if depth + 1 > MAX_INCLUDE_DEPTH:
        state.finding(f"{rel}:{number}: includes nested deeper than {MAX_INCLUDE_DEPTH}; `{value}` not read")
        return
    if target in state.seen:
        state.finding(f"{rel}:{number}: `{value}` is already read (an include cycle?); not read again")
        return
    if not (state.root / target).is_file():
        state.finding(f"{rel}:{number}: included file `{value}` is not in the submission")
        return
    _parse_txt(state, target, group, depth + 1)


def _looks_like_location(text: str) -> bool:
    lowered = text.lower()
    return ("://" in lowered or lowered.startswith(("git+", "hg+", "svn+", "bzr+", ".", "/", "~", "file:"))
            or lowered.endswith(ARCHIVE_SUFFIXES) or "/" in text or "\\" in text)


def _requirement(state: _Parse, rel: str, number: int, text: str, group: str) -> None:
    if "${" in text:
        state.refuse(rel, number, text, "an environment variable pip would expand; not applied")
        return
    head = text.split(";", 1)[0].strip()
    if head.lower().endswith(ARCHIVE_SUFFIXES) or (not NAMED.match(head) and _looks_like_location(head)):
        state.refuse(rel, number, text, "a URL or local path: pip would fetch or build code from outside "
                                        "the package index")
        return
    try:
        req = PackagingRequirement(text)
    except InvalidRequirement as exc:
        message = str(exc).splitlines()[0]
        state.finding(f"{rel}:{number}: not a valid requirement (`{text[:80]}`): {message}")
        return
    if req.url:
        state.refuse(rel, number, text, "a direct URL reference: pip would fetch or build code from outside "
                                        "the package index")
        return
    _add(state, rel, number, req, group)


def _add(state: _Parse, rel: str, number: int, req: PackagingRequirement, group: str) -> None:
    key = canonicalize_name(req.name)
    if key in MISNAMED:
        state.finding(f"{rel}:{number}: `{req.name}` is not an installable package name "
                      f"({MISNAMED[key]} is); read as {MISNAMED[key]}")
        key = MISNAMED[key]
    key = RUNNER_ALIASES.get(key, key)
    applies = True
    if req.marker is not None:
        try:
            applies = req.marker.evaluate(MARKER_ENV)
        except (UndefinedComparison, UndefinedEnvironmentName, InvalidMarker) as exc:
            state.finding(f"{rel}:{number}: marker `{req.marker}` cannot be evaluated ({exc}); assumed to hold")
    state.out.requirements.append(Requirement(
        name=req.name, key=key, specifier=str(req.specifier), file=rel, line=number, group=group,
        extras=tuple(sorted(req.extras)), marker=str(req.marker) if req.marker else "", applies=applies))


# conda ------------------------------------------------------------------------------------------
def _parse_conda(state: _Parse, rel: str) -> None:
    deps = _conda_dependencies(state, rel)
    if deps is None:
        return
    system: list[str] = []
    if not _read_conda_entries(state, rel, deps, system):
        return
    if system:
        shown = ", ".join(system[:5]) + (", ..." if len(system) > 5 else "")
        state.finding(f"{rel}: {len(system)} conda package(s) that are not Python distributions ignored ({shown})")


def _conda_dependencies(state: _Parse, rel: str) -> yaml.SequenceNode | None:
    """The `dependencies:` list of an environment file; None (after a finding) when it cannot be read."""
    if yaml is None:
        state.finding(f"{rel}: not read (PyYAML is not installed with the grader)")
        return None
    text = _read_text(state, rel, MAX_YAML_BYTES)
    if text is None:
        return None
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes keep their line numbers; nothing is built
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{rel}:{mark.line + 1}" if mark is not None else rel
        state.finding(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or type(exc).__name__})")
        return None
    deps = _mapping_get(document, "dependencies")
    if deps is None:
        state.finding(f"{rel}: no `dependencies:` list")
        return None
    if not isinstance(deps, yaml.SequenceNode):
        state.finding(f"{rel}:{deps.start_mark.line + 1}: `dependencies` is not a list")
        return None
    return deps


def _read_conda_entries(state: _Parse, rel: str, deps: yaml.SequenceNode, system: list[str]) -> bool:
    """Each conda spec and `pip:` list; False when the requirement cap stopped the reading."""
    for item in deps.value:
        if state.full():
            return False
        number = item.start_mark.line + 1
        if isinstance(item, yaml.ScalarNode):
            _conda_spec(state, rel, number, str(item.value), system)
        elif isinstance(item, yaml.MappingNode) and _mapping_get(item, "pip") is not None:
            if not _read_conda_pip(state, rel, number, _mapping_get(item, "pip")):
                return False
        else:
            state.finding(f"{rel}:{number}: dependency entry that is neither a package nor a `pip:` list")
    return True


def _read_conda_pip(state: _Parse, rel: str, number: int, pip: yaml.Node) -> bool:
    """The lines of a `pip:` list as pip requirements; False when the requirement cap stopped the reading."""
    if not isinstance(pip, yaml.SequenceNode):
        state.finding(f"{rel}:{number}: `pip:` is not a list")
        return True
    for entry in pip.value:
        if state.full():
            return False
        if isinstance(entry, yaml.ScalarNode) and str(entry.value).strip():
            _pip_line(state, rel, entry.start_mark.line + 1, str(entry.value).strip(), rel, 0)
    return True


def _mapping_get(node: object, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _conda_spec(state: _Parse, rel: str, number: int, text: str, system: list[str]) -> None:
    """A conda match spec (`pandas=2.2.2=py311h...`, `conda-forge::numpy>=1.26`, `scipy 1.11.*`) as PEP 508."""
    spec = text.strip().split("::")[-1]
    match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    if not match:
        state.finding(f"{rel}:{number}: not a conda package spec (`{text[:80]}`)")
        return
    conda_name, version = match.group(1), match.group(2).strip()
    lowered = conda_name.lower()
    if lowered in CONDA_SYSTEM or lowered.startswith(("_", "lib")):
        if lowered not in ("python", "pip"):
            system.append(conda_name)
        return
    name = CONDA_TO_PYPI.get(lowered, conda_name)
    pip_version = _conda_version(version)
    if pip_version is None:
        state.finding(f"{rel}:{number}: conda version `{version}` of {conda_name} not understood; read as unpinned")
        pip_version = ""
    try:
        req = PackagingRequirement(f"{name}{pip_version}")
    except InvalidRequirement as exc:
        state.finding(f"{rel}:{number}: not a valid package spec (`{text[:80]}`): {str(exc).splitlines()[0]}")
        return
    if name != conda_name:
        state.finding(f"{rel}:{number}: conda package `{conda_name}` read as the PyPI distribution `{name}`")
    _add(state, rel, number, req, rel)


def _conda_version(version: str) -> str | None:
    """conda's `=1.2.3`, `==1.2.3`, `1.2.*`, `>=1,<2`, `1.2.3 build` as a PEP 440 specifier ('' = any)."""
    version = version.strip()
    if not version or version == "*":
        return ""
    if "|" in version:
        return None
    if version.startswith("=") and not version.startswith("=="):
        version = version[1:]
        exact = version.split("=", 1)[0]  # drop a build string: =1.2.3=py311h...
        return _exact_or_prefix(exact)
    if re.match(r"^[0-9]", version):  # `1.2.3` or `1.2.3 py311_0` (space-separated match spec)
        return _exact_or_prefix(version.split()[0].split("=", 1)[0])
    version = version.split()[0] if " " in version and "," not in version else version
    if version.startswith("=="):
        version = "==" + version[2:].split("=", 1)[0]
    version = re.sub(r"(\d)\*", r"\1.*", version).replace("..*", ".*")
    try:
        return str(SpecifierSet(version))
    except InvalidSpecifier:
        return None


def _exact_or_prefix(version: str) -> str | None:
    version = version.rstrip("*").rstrip(".")
    if not version:
        return ""
    try:
        Version(version)
    except InvalidVersion:
        return None
    if len(version.split(".")) >= 3:
        return f"=={version}"
    return f"=={version}.*"  # conda's `=1.26` means any 1.26.x


# pyproject --------------------------------------------------------------------------------------
def _parse_pyproject(state: _Parse, rel: str) -> None:
    text = _read_text(state, rel, MAX_FILE_BYTES)
    if text is None:
        return
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        state.finding(f"{rel}: not valid TOML ({exc})")
        return
    project = data.get("project")
    deps = project.get("dependencies") if isinstance(project, dict) else None
    if isinstance(deps, list) and not _read_project_dependencies(state, rel, text, deps):
        return
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    poetry_deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(poetry_deps, dict) and not _read_poetry_dependencies(state, rel, text, poetry_deps):
        return
    if not isinstance(deps, list) and not isinstance(poetry_deps, dict):
        state.finding(f"{rel}: neither [project] dependencies nor [tool.poetry.dependencies]")


def _read_project_dependencies(state: _Parse, rel: str, text: str, deps: list) -> bool:
    """[project] dependencies as PEP 508 lines; False when the requirement cap stopped the reading."""
    for dep in deps:
        if state.full():
            return False
        if not isinstance(dep, str):
            state.finding(f"{rel}: [project] dependency that is not a string")
            continue
        _requirement(state, rel, _toml_line(text, dep, "[project]"), dep.strip(), rel)
    return True


def _read_poetry_dependencies(state: _Parse, rel: str, text: str, poetry_deps: dict) -> bool:
    """[tool.poetry.dependencies] but python; False when the requirement cap stopped the reading."""
    for name, value in poetry_deps.items():
        if state.full():
            return False
        if str(name).lower() == "python":
            continue
        number = _toml_key_line(text, str(name), "[tool.poetry.dependencies]")
        _poetry_dependency(state, rel, number, str(name), value)
    return True


def _toml_line(text: str, value: str, section: str) -> int:
    start = max(text.find(section), 0)
    for quote in ('"', "'"):
        pos = text.find(f"{quote}{value}{quote}", start)
        if pos >= 0:
            return text.count("\n", 0, pos) + 1
    return text.count("\n", 0, start) + 1


def _toml_key_line(text: str, key: str, section: str) -> int:
    start = max(text.find(section), 0)
    match = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.M).search(text, start)
    return text.count("\n", 0, match.start() if match else start) + 1


def _poetry_dependency(state: _Parse, rel: str, number: int, name: str, value: object) -> None:
    marker = ""
    constraint: object = value
    if isinstance(value, list):
        state.finding(f"{rel}:{number}: multiple-constraint dependency `{name}` read as unpinned")
        constraint = "*"
    elif isinstance(value, dict):
        source = next((k for k in ("git", "path", "url", "file") if k in value), None)
        if source:
            state.refuse(rel, number, f"{name} = {{{source} = {value[source]!r}}}",
                         f"a {source} dependency: pip would fetch or build code from outside the package index")
            return
        constraint = value.get("version", "*")
        if isinstance(value.get("markers"), str):
            marker = value["markers"]
    if not isinstance(constraint, str):
        state.finding(f"{rel}:{number}: poetry constraint of `{name}` not understood; read as unpinned")
        constraint = "*"
    spec = _poetry_spec(constraint)
    if spec is None:
        state.finding(f"{rel}:{number}: poetry constraint `{constraint}` of `{name}` not understood; read as unpinned")
        spec = ""
    text = f"{name}{spec}" + (f"; {marker}" if marker else "")
    try:
        req = PackagingRequirement(text)
    except InvalidRequirement as exc:
        state.finding(f"{rel}:{number}: not a valid requirement (`{text[:80]}`): {str(exc).splitlines()[0]}")
        return
    _add(state, rel, number, req, rel)


def _poetry_spec(constraint: str) -> str | None:
    """Poetry's `^1.2.3`, `~1.2`, `1.2.3`, `1.2.*`, `>=1,<2` as a PEP 440 specifier; None if not understood."""
    if "||" in constraint:
        return None
    parts = []
    for piece in (p.strip() for p in constraint.split(",")):
        if piece in ("", "*"):
            continue
        if piece.startswith(("^", "~")) and not piece.startswith("~="):
            try:
                release = list(Version(piece[1:].strip()).release)
            except InvalidVersion:
                return None
            given = len(piece[1:].strip().split("."))
            release = release[:given]
            if piece.startswith("^"):
                nonzero = [i for i, n in enumerate(release) if n != 0]
                bump = nonzero[0] if nonzero else len(release) - 1
            else:
                bump = 1 if len(release) >= 2 else 0
            upper = release[:bump] + [release[bump] + 1]
            parts += [f">={piece[1:].strip()}", "<" + ".".join(map(str, upper))]
        elif re.match(r"^[0-9]", piece):
            parts.append(f"=={piece}")
        else:
            parts.append(piece.replace(" ", ""))
    try:
        return str(SpecifierSet(",".join(parts)))
    except InvalidSpecifier:
        return None


# --------------------------------------------------------------------------- installing
@dataclass
class Fallback:
    """A requirement that could not be had as written: relaxed with the rest of the set, or left out."""

    requirement: Requirement
    reason: str
    outcome: str = ""  # what the run got instead, in words

    def to_dict(self) -> dict[str, object]:
        req = self.requirement
        return {"name": req.name, "spec": req.display, "location": req.location, "file": req.file,
                "line": req.line, "runner_version": req.runner_version, "reason": self.reason,
                "outcome": self.outcome}


@dataclass
class EnvironmentLayer:
    """What installing the candidate's requirements did: the layer to mount (or None) and the report."""

    requirements: RequirementSet
    path: Path | None = None
    key: str | None = None
    as_of: str | None = None  # the round's date: nothing published after it was considered
    cached: bool = False  # nothing had to be resolved or installed: both came from the cache
    download_s: float = 0.0  # resolving (uv fetches the metadata it needs)
    install_s: float = 0.0
    total_s: float = 0.0
    size_bytes: int = 0
    pip_runs: int = 0  # uv runs
    how: str = ""
    resolved: dict[str, str] = field(default_factory=dict)  # the whole environment: distribution -> version
    packages: dict[str, str] = field(default_factory=dict)  # distribution -> version in the layer
    shadowed: dict[str, list[str]] = field(default_factory=dict)  # distribution -> [layer version, runner version]
    constraints: list[str] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        report = self.requirements.to_dict(install_on=True)
        report.update({
            "fallbacks": [f.to_dict() for f in self.fallbacks],
            "layer": str(self.path) if self.path else None, "key": self.key, "cached": self.cached,
            "as_of": self.as_of, "how": self.how, "resolved": dict(self.resolved),
            "constraints": list(self.constraints),
            "timings": {"download_s": round(self.download_s, 2), "install_s": round(self.install_s, 2),
                        "total_s": round(self.total_s, 2)},
            "size_bytes": self.size_bytes, "packages": dict(self.packages), "shadowed": dict(self.shadowed),
            "pip_runs": self.pip_runs, "error": self.error,
            "findings": self.requirements.findings + self.findings,
        })
        return report


def describe(reqs: RequirementSet, runner: dict[str, str] | None = None) -> dict[str, object]:
    """The report when the install step is off: each requirement against the runner image."""
    reqs.compare(runner if runner is not None else runner_versions())
    return reqs.to_dict(install_on=False)


def prepare_layer(reqs: RequirementSet, cache_dir: Path, log: Log = print, *, budget_s: float = DEFAULT_BUDGET_S,
                  runner: dict[str, str] | None = None, as_of: str | None = None) -> EnvironmentLayer:
    """Resolve the requirement set into one environment and install what the runner lacks as a layer; never raises.

    as_of (YYYY-MM-DD, the round's date): loose requirements get the versions published by then.
    """
    started = time.monotonic()
    runner = runner if runner is not None else runner_versions()
    reqs.compare(runner)
    result = EnvironmentLayer(requirements=reqs, as_of=as_of)
    active = reqs.active
    if not _needs_resolution(active, as_of):
        result.total_s = time.monotonic() - started
        return result
    try:
        _sweep(Path(cache_dir))
        _build(result, active, runner, Path(cache_dir), log, started + budget_s)
    except (OSError, subprocess.SubprocessError, ValueError, ImportError) as exc:
        result.error = f"installing the requirements failed: {type(exc).__name__}: {exc}"
        result.path = None
    _annotate(result, active)
    result.total_s = time.monotonic() - started
    return result


def _needs_resolution(active: list[Requirement], as_of: str | None) -> bool:
    """Nothing to resolve when the runner satisfies every requirement (and, with a round date, all are exact pins)."""
    if any(not r.runner_satisfies for r in active):
        return True
    return bool(as_of) and any(r.pinning != PINNED for r in active)


def _sweep(cache: Path) -> None:
    """Remove what a killed grading left half-built (resolution attempts, layer staging)."""
    now = time.time()
    for folder in [*(cache / "work").glob("try-*"), *(cache / "layers").glob(".build-*"),
                   *(cache / "layers").glob(".stale-*")]:
        try:
            if now - folder.stat().st_mtime > STALE_S:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _tree_bytes(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path, followlinks=False):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def prune_cache(cache: Path, max_bytes: int, keep_recent_s: float = 3600.0) -> tuple[int, int]:
    """Remove the least recently used layers until the cache holds at most max_bytes.

    Entries used in the last keep_recent_s are kept whatever the size (a running grading may be using them).
    Returns (entries removed, bytes freed).
    """
    entries = []
    for info in (cache / "layers").glob("*.json"):
        key = info.stem
        paths = [cache / "layers" / key, info, cache / "wheels" / key]
        with contextlib.suppress(OSError):
            entries.append((info.stat().st_mtime, key, paths, sum(_tree_bytes(p) if p.is_dir() else p.stat().st_size
                                                                  for p in paths if p.exists())))
    known = {key for _, key, _, _ in entries}
    for wheels in (cache / "wheels").glob("*"):  # wheels whose layer was never built (a failed install)
        if wheels.is_dir() and wheels.name not in known:
            with contextlib.suppress(OSError):
                entries.append((wheels.stat().st_mtime, wheels.name, [wheels], _tree_bytes(wheels)))
    total = sum(size for *_, size in entries)
    removed = freed = 0
    now = time.time()
    for mtime, _key, paths, size in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes:
            break
        if now - mtime < keep_recent_s:
            continue
        for path in paths:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        total -= size
        freed += size
        removed += 1
    return removed, freed


def _cache_key(active: list[Requirement], runner: dict[str, str], as_of: str | None) -> str:
    digest = hashlib.sha256()
    for part in (RESOLVER_VERSION, TARGET_LABEL, as_of or "today", json.dumps(sorted(runner.items())),
                 json.dumps(sorted(r.pip_line() for r in active))):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _requirement_lines(active: list[Requirement]) -> dict[str, str]:
    """key -> one pip line; a package listed twice gets both specifiers (pip would apply both)."""
    lines: dict[str, list[Requirement]] = {}
    for req in active:
        lines.setdefault(req.key, []).append(req)
    merged = {}
    for key, reqs in lines.items():
        extras = sorted({e for r in reqs for e in r.extras})
        spec = ",".join(s for s in (r.specifier for r in reqs) if s)
        merged[key] = f"{key}{'[' + ','.join(extras) + ']' if extras else ''}{spec}"
    return merged


def _build(result: EnvironmentLayer, active: list[Requirement], runner: dict[str, str], cache: Path, log: Log,
           deadline: float) -> None:
    key = result.key = _cache_key(active, runner, result.as_of)
    layer, info_path = cache / "layers" / key, cache / "layers" / f"{key}.json"
    info = _load_json(info_path)
    if info is not None and (layer.is_dir() or not info.get("packages")):
        with contextlib.suppress(OSError):  # the last use, for prune_cache
            os.utime(info_path)
        result.cached = True
    else:
        log(f"requirements: resolving {len(active)} requirement(s) together for {TARGET_LABEL}"
            + (f" as of {result.as_of}" if result.as_of else ""))
        (cache / "work").mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="try-", dir=cache / "work"))
        try:
            resolution = Resolver(_requirement_lines(active), runner_kit(), machine=MACHINE, as_of=result.as_of,
                                  work=work, uv_cache=cache / "uv", deadline=deadline, preferences=runner).run()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result.pip_runs += resolution.runs
        result.download_s = resolution.seconds
        info = _install(result, resolution, runner, cache, layer, log)
        if resolution.cacheable:
            _write_json(info_path, info)
    _apply(result, info, active, layer)


def _apply(result: EnvironmentLayer, info: dict, active: list[Requirement], layer: Path) -> None:
    """Copy what the (cached or fresh) build says into the report."""
    resolution = Resolution.from_dict(info.get("resolution", {}))
    result.error = resolution.error or info.get("install_error")
    result.how = resolution.how
    result.resolved = dict(resolution.pins)
    result.constraints = list(resolution.constraints)
    result.packages = dict(info.get("packages", {}))
    result.shadowed = dict(info.get("shadowed", {}))
    result.size_bytes = int(info.get("size_bytes", 0))
    result.path = layer if result.packages and layer.is_dir() else None
    by_key = {r.key: r for r in active}
    for key, reason in resolution.relaxed.items():
        if key in by_key:
            got = resolution.pins.get(key)
            outcome = f"relaxed with the rest of the set: resolved to {got}" if got else "relaxed"
            result.fallbacks.append(Fallback(by_key[key], reason, outcome))
    for key, reason in resolution.dropped.items():
        if key in by_key:
            result.fallbacks.append(Fallback(by_key[key], reason, "not installed"))
    if resolution.how:
        result.findings.append(f"environment: {resolution.how}")
    result.findings += [f"the grader added the constraint {c}" for c in resolution.constraints]
    if result.path is not None and (layer / "bin").is_dir():
        result.findings.append("the packages' commands (e.g. " + ", ".join(sorted(p.name for p in (layer / "bin")
                                                                                   .iterdir())[:3])
                               + ") are on PATH in the sandbox")


def _install(result: EnvironmentLayer, resolution: Resolution, runner: dict[str, str], cache: Path, layer: Path,
             log: Log) -> dict:
    """Install the resolved versions the runner image lacks (wheels only, no dependencies, nothing run)."""
    info: dict = {"resolution": resolution.to_dict(), "packages": {}, "shadowed": {}, "size_bytes": 0}
    wanted = {n: v for n, v in resolution.pins.items() if runner.get(n) != v}
    if not wanted or (resolution.error and not resolution.pins):
        return info
    if layer.is_dir():  # another grading built this key's layer (renamed in whole, so complete): use it
        return _layer_info(info, layer, runner)
    layer.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=layer.parent))
    try:
        pins = staging.parent / f"{staging.name}.txt"
        pins.write_text("\n".join(f"{n}=={v}" for n, v in sorted(wanted.items())) + "\n")
        log(f"requirements: installing {len(wanted)} package(s) into a layer")
        began = time.monotonic()
        cmd = [uv_binary(), "pip", "install", "--target", str(staging), "--no-deps", "--link-mode", "hardlink",
               "--cache-dir", str(cache / "uv"), "--no-compile", *target_args(MACHINE), "-r", str(pins)]
        proc = run_uv(cmd, staging.parent, INSTALL_TIMEOUT_S)
        pins.unlink(missing_ok=True)
        result.pip_runs += 1
        if proc.returncode != 0:
            info["install_error"] = f"installing the resolved packages failed: {uv_error(proc.stderr)}"
            return info
        _portable_scripts(staging / "bin")
        _compile(staging)
        result.install_s = time.monotonic() - began
        size = _size(staging)
        if size > MAX_WHEELS_BYTES:
            info["install_error"] = (f"the environment weighs {size // 1_000_000} MB, over the grader's "
                                     f"{MAX_WHEELS_BYTES // 1_000_000} MB cap: the runner image's libraries are used")
            return info
        _world_readable(staging)
        info["install_s"] = round(result.install_s, 2)
        try:
            staging.rename(layer)
        except OSError:  # another grading built the same layer meanwhile: keep theirs
            if not layer.is_dir():
                raise
            size = None
        return _layer_info(info, layer, runner, size)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _layer_info(info: dict, layer: Path, runner: dict[str, str], size: int | None = None) -> dict:
    """The build's record completed from the layer itself: what it holds, what it shadows, its size."""
    installed = _layer_versions(layer)
    info.update({"packages": installed, "size_bytes": _size(layer) if size is None else size,
                 "shadowed": {n: [v, runner[n]] for n, v in installed.items() if n in runner}})
    return info


def _portable_scripts(bin_dir: Path) -> None:
    """Console scripts name the host's interpreter; in the sandbox they must run the sandbox's python3."""
    if not bin_dir.is_dir():
        return
    for script in bin_dir.iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        data = script.read_bytes()
        if data.startswith(b"#!") and b"python" in data.split(b"\n", 1)[0]:
            script.unlink()  # it may be a hard link into uv's cache: write a new file, never through the link
            script.write_bytes(b"#!/usr/bin/env python3\n" + (data.split(b"\n", 1)[1] if b"\n" in data else b""))
            script.chmod(0o755)


def _layer_versions(layer: Path) -> dict[str, str]:
    """distribution -> version of what a layer holds, from its .dist-info folders."""
    found = {}
    for dist in sorted(layer.glob("*.dist-info")):
        match = re.match(r"^(.+?)-([^-]+)\.dist-info$", dist.name)
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def _compile(target: Path) -> None:
    """Byte-compile the layer once on the host: it is read-only in the container, where imports are then faster.

    Compiling parses the files and runs none of them. Only when the host's Python is the runner's 3.11.
    """
    if sys.version_info[:2] != (3, 11):
        return
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "-x", r"/tests?/", str(target)],
                   capture_output=True, timeout=INSTALL_TIMEOUT_S, check=False)  # packages' own tests: never imported


def _world_readable(root: Path) -> None:
    """The container runs as uid 1000: every directory and file of the layer must be readable by anyone."""
    root.chmod(0o755)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.stat(path).st_mode & 0o111 else 0o644)


def _size(root: Path) -> int:
    return sum(os.lstat(os.path.join(d, f)).st_size for d, _dirs, files in os.walk(root) for f in files)


def _annotate(result: EnvironmentLayer, active: list[Requirement]) -> None:
    fell_back = {id(f.requirement): f for f in result.fallbacks}
    for req in active:
        fallback = fell_back.get(id(req))
        if fallback is not None:
            req.reason = fallback.reason
            req.installed_version = result.packages.get(req.key)
            req.action = f"{fallback.outcome}: {fallback.reason}"
        elif result.error and result.path is None:
            req.reason = result.error
            req.action = (f"fell back to runner {req.runner_version}: {result.error}" if req.runner_version
                          else f"not installed: {result.error}")
        elif req.key in result.packages:
            req.installed_version = result.packages[req.key]
            req.action = f"installed {req.installed_version}"
        elif req.runner_version is not None and result.resolved.get(req.key) in (None, req.runner_version):
            req.action = "runner satisfies"  # resolved to the runner's own version
        else:
            req.action = "not installed: not in the resolved set"


def _load_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(content, indent=1, sort_keys=True))
    os.replace(tmp, path)
