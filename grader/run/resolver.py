"""One consistent environment from the candidate's requirements, as `pip install -r` gave the assessor.

The assessor made a fresh environment and ran `pip install -r requirements.txt` at the time of the
round. The grader resolves the whole requirement set together, with uv, for the runner's Python and
platform, wheels only, and (when the pack gives the round's date) with nothing published after that
date (`--exclude-newer`), so loose requirements get the versions the assessor got, not today's.

The runner image's own kit (pandas, numpy, scikit-learn, ...) is part of the resolution, so a package
the candidate uses without listing it never runs against a numpy of another world: first at the
runner's versions, and when those conflict with the candidate's pins, resolved freely beside them.
Where the pins cannot be had at all, they are relaxed as a set and the report says which and why;
GPU builds (torch's CUDA libraries) are dropped, the rest is kept.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PYTHON_VERSION = "3.11"
GPU_PACKAGE = re.compile(r"^(nvidia-|cuda-|triton$|cupy-cuda|jax-cuda|tensorrt|pytorch-triton)")
GPU_REASON = ("its CUDA build (with the nvidia-* / cuda-* libraries it pulls, several GB) is over the grader's size "
              "cap and no CPU build is published for this platform: left out, the rest is installed")
# the first release of each package built against numpy 2: older builds crash under numpy >= 2
# ("numpy.dtype size changed"), which their metadata does not say
NUMPY1_BUILDS = {"pandas": "2.2.2", "scikit-learn": "1.4.2", "scipy": "1.13.0", "matplotlib": "3.8.4",
                 "statsmodels": "0.14.2", "pyarrow": "16.0.0", "h5py": "3.11.0", "shap": "0.46.0",
                 "scikit-image": "0.24.0", "numexpr": "2.10.0", "bottleneck": "1.4.0", "xgboost": "2.1.0"}
OFFLINE = re.compile(r"dns error|failed to lookup|Could not connect|Connection refused|Network is unreachable|"
                     r"Failed to fetch|error sending request|operation timed out", re.I)
MAX_ATTEMPTS = 40  # uv runs of one resolution; each takes about a second once metadata is cached

def uv_binary() -> str:
    """The uv executable the grader runs (a declared dependency: the `uv` package ships it)."""
    from uv import find_uv_bin

    return find_uv_bin()


def target_args(machine: str) -> list[str]:
    """Resolve for the runner image: CPython 3.11 on Debian bookworm (glibc 2.36), wheels only."""
    return ["--python-version", PYTHON_VERSION, "--python-platform", f"{machine}-manylinux_2_36",
            "--only-binary", ":all:"]


@dataclass
class Resolution:
    """The whole environment (every distribution pinned), how it was reached, and what had to give way."""

    pins: dict[str, str] = field(default_factory=dict)
    how: str = ""
    relaxed: dict[str, str] = field(default_factory=dict)  # requirement key -> why its version gave way
    dropped: dict[str, str] = field(default_factory=dict)  # requirement key -> why it is not installed
    constraints: list[str] = field(default_factory=list)  # what the grader added, with the reason
    kit_free: bool = False  # the runner's kit was resolved beside the candidate's pins, not at its versions
    error: str | None = None
    cacheable: bool = True
    runs: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"pins": dict(self.pins), "how": self.how, "relaxed": dict(self.relaxed),
                "dropped": dict(self.dropped), "constraints": list(self.constraints), "kit_free": self.kit_free,
                "error": self.error, "cacheable": self.cacheable, "runs": self.runs,
                "seconds": round(self.seconds, 2)}

    @classmethod
    def from_dict(cls, data: dict) -> Resolution:
        return cls(pins=dict(data.get("pins", {})), how=str(data.get("how", "")),
                   relaxed=dict(data.get("relaxed", {})), dropped=dict(data.get("dropped", {})),
                   constraints=list(data.get("constraints", [])), kit_free=bool(data.get("kit_free")),
                   error=data.get("error"), cacheable=bool(data.get("cacheable", True)))


@dataclass
class _Compiled:
    ok: bool
    pins: dict[str, str]
    parents: dict[str, set[str]]
    error: str


class Resolver:
    """Resolves a requirement set (key -> pip line) with the runner's kit into one consistent environment.

    The kit is resolved with the candidate's requirements, preferring the runner's versions (uv keeps
    the versions of its output file when they fit), so it moves only where the candidate's pins need
    it to; a kit package that cannot be had at all (not yet published on the round's date) is left to
    the runner. Only then do the candidate's pins give way, one step at a time and as a set: the same
    minor version, the same major version, any version.
    """

    def __init__(self, lines: dict[str, str], kit: dict[str, str], *, machine: str, as_of: str | None,
                 work: Path, uv_cache: Path, deadline: float, preferences: dict[str, str] | None = None) -> None:
        self.lines = dict(lines)
        self.original = dict(lines)
        # the notebook runner's nbclient / ipykernel are in it too: a candidate's jupyter pins must fit them
        self.kit = {k: v for k, v in kit.items() if k not in lines}
        self.preferences = dict(preferences if preferences is not None else kit)
        self.kit_out: set[str] = set()  # kit packages left to the runner: not resolvable with this set
        self.steps = dict.fromkeys(lines, 0)  # how far each candidate pin was relaxed
        self.machine, self.as_of, self.work, self.uv_cache = machine, as_of, work, uv_cache
        self.deadline = deadline
        self.result = Resolution()

    def run(self) -> Resolution:
        started = time.monotonic()
        try:
            self._resolve()
        finally:
            self.result.seconds = time.monotonic() - started
        return self.result

    def _resolve(self) -> None:
        res = self.result
        for _attempt in range(MAX_ATTEMPTS):
            compiled = self._compile()
            if compiled is None:
                return
            if compiled.ok:
                if self._gpu_dropped(compiled) or self._numpy1_guarded(compiled):
                    continue
                res.pins = compiled.pins
                res.kit_free = any(compiled.pins.get(k) not in (None, v) for k, v in self.kit.items())
                res.how = self._describe(compiled.pins)
                return
            if not (self._kit_gives_way(compiled.error) or self._give_way(compiled.error)):
                res.error = f"the requirements cannot be resolved together: {uv_error(compiled.error)}"
                return
        res.error = "the requirements could not be resolved within the grader's attempts"

    def _compile(self) -> _Compiled | None:
        kit = [k for k in sorted(self.kit) if k not in self.kit_out]
        self.work.mkdir(parents=True, exist_ok=True)
        req_in, con_in, out = self.work / "requirements.in", self.work / "constraints.in", self.work / "resolved.txt"
        req_in.write_text("\n".join([*self.lines.values(), *kit]) + "\n")
        out.write_text("".join(f"{k}=={v}\n" for k, v in sorted(self.preferences.items())))  # preferred versions
        con_in.write_text("\n".join(c.split(" #")[0] for c in self.result.constraints) + "\n")
        cmd = [uv_binary(), "pip", "compile", str(req_in), "-c", str(con_in), "-o", str(out), "--no-header",
               "--annotation-style", "split", "--cache-dir", str(self.uv_cache), *target_args(self.machine)]
        if self.as_of:
            cmd += ["--exclude-newer", self.as_of]
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return self._stop("the grader's time budget for resolving requirements ran out")
        self.result.runs += 1
        try:
            proc = run_uv(cmd, self.work, remaining)
        except subprocess.TimeoutExpired:
            return self._stop("the grader's time budget for resolving requirements ran out")
        if proc.returncode != 0:
            if OFFLINE.search(proc.stderr):
                return self._stop("the package index is not reachable from the grading host")
            return _Compiled(False, {}, {}, proc.stderr)
        pins, parents = parse_compiled(out.read_text(encoding="utf-8"))
        return _Compiled(True, pins, parents, "")

    def _stop(self, reason: str) -> None:
        self.result.error = reason
        self.result.cacheable = False
        return None

    def _gpu_dropped(self, compiled: _Compiled) -> bool:
        """Leave out whatever pulls a GPU build (a candidate requirement or a kit package); True when one was."""
        gpu = [name for name in compiled.pins if GPU_PACKAGE.match(name)]
        roots = _roots(gpu, compiled.parents, set(self.lines))
        for key in roots:
            self.result.dropped[key] = GPU_REASON
            self.lines.pop(key, None)
        kit_roots = [k for k in _roots(gpu, compiled.parents, set(self.kit)) if k not in self.kit_out]
        self.kit_out.update(kit_roots)
        return bool(roots or kit_roots)

    def _numpy1_guarded(self, compiled: _Compiled) -> bool:
        """Built against numpy 1 but resolved with numpy 2: constrain numpy below 2 (once)."""
        numpy = _version(compiled.pins.get("numpy"))
        if numpy is None or numpy < Version("2") or any(c.startswith("numpy<2") for c in self.result.constraints):
            return False
        old = [f"{name} {compiled.pins[name]}" for name, first in NUMPY1_BUILDS.items()
               if name in compiled.pins and (_version(compiled.pins[name]) or Version(first)) < Version(first)]
        if not old:
            return False
        self.result.constraints.append(f"numpy<2 # {', '.join(old)} built against numpy 1 crash under numpy 2")
        return True

    def _kit_gives_way(self, error: str) -> bool:
        """Kit packages named in the conflict are left to the runner (the candidate's requirements come first)."""
        named = [k for k in self.kit if k not in self.kit_out and _mentions(error, k)]
        self.kit_out.update(named)
        return bool(named)

    def _give_way(self, error: str) -> bool:
        """Relax the pins the resolver names one step (as a set); when none is named, every pin; then drop."""
        reason = uv_error(error)
        named = [key for key in self.lines if _mentions(error, key)]
        movable = [key for key in named if self.steps[key] < len(RELAX_STEPS)]
        if not named:
            movable = [key for key in self.lines if self.steps[key] < len(RELAX_STEPS)]
            reason = f"the pins conflict with each other: {reason}"
        if movable:
            for key in movable:
                self._relax(key, reason)
            return True
        for key in named:
            self.result.dropped[key] = reason
            self.lines.pop(key)
        return bool(named)

    def _relax(self, key: str, reason: str) -> None:
        """One step looser: ==X.Y.Z -> ==X.Y.* -> >=X.Y,<X+1 -> any version (steps a pin does not need are skipped)."""
        original = self.original[key]
        while self.steps[key] < len(RELAX_STEPS):
            self.steps[key] += 1
            looser = RELAX_STEPS[self.steps[key] - 1](original)
            if looser is not None and looser != self.lines[key]:
                self.lines[key] = looser
                self.result.relaxed.setdefault(key, reason)
                return

    def _describe(self, pins: dict[str, str]) -> str:
        parts = []
        if self.result.relaxed:
            parts.append("pins relaxed as a set: " + ", ".join(f"{self.original[k]} -> {self.lines.get(k, '-')}"
                                                               for k in self.result.relaxed if k in self.lines))
        if self.result.dropped:
            parts.append("left out: " + ", ".join(self.original.get(k, k) for k in self.result.dropped))
        moved = sorted(f"{k} {pins[k]}" for k, v in self.kit.items() if pins.get(k) not in (None, v))
        out = sorted(self.kit_out)
        if moved:
            parts.append("to fit the candidate's pins, the runner's libraries moved too: " + ", ".join(moved))
        if out:
            parts.append("the runner's own " + ", ".join(out) + " (not resolvable with this set)")
        date = f" as of {self.as_of}" if self.as_of else ""
        return f"resolved together{date}" + ("; " + "; ".join(parts) if parts else "")


def _same_minor(line: str) -> str | None:
    exact = _exact(line)
    return f"{_bare(line)}=={exact.major}.{exact.minor}.*" if exact else None


def _same_major(line: str) -> str | None:
    exact = _exact(line)
    return f"{_bare(line)}>={exact.major}.{exact.minor},<{exact.major + 1}" if exact else None


RELAX_STEPS = (_same_minor, _same_major, lambda line: _bare(line))


def _exact(line: str) -> Version | None:
    try:
        specs = list(PackagingRequirement(line).specifier)
    except InvalidRequirement:
        return None
    exact = [s.version for s in specs if s.operator == "==" and not s.version.endswith(".*")]
    return _version(exact[0]) if exact else None


def run_uv(cmd: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """uv with the grader's own configuration: never a config file or index setting of the host or candidate."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_")) and k != "PYTHONPATH"}
    env.update({"UV_NO_CONFIG": "1", "UV_NO_PROGRESS": "1", "NO_COLOR": "1"})
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def parse_compiled(text: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """`uv pip compile` output: name -> version, and name -> what pulled it in ("-r" for the input file)."""
    pins: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)", line)
        if match:
            current = str(canonicalize_name(match.group(1)))
            pins[current] = match.group(2)
            parents.setdefault(current, set())
            continue
        via = re.match(r"^#\s*(?:via\s+)?(.+)$", line)
        if current and via and via.group(1).strip() != "via":
            parent = via.group(1).strip()
            parents[current].add("-r" if parent.startswith(("-r", "-c")) else str(canonicalize_name(parent)))
    return pins, parents


def uv_error(stderr: str) -> str:
    """uv's explanation in one line."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    causes = [ln.removeprefix("cause:").strip() for ln in lines if ln.startswith(("cause:", "Because", "And because"))]
    text = " ".join(causes) or next((ln for ln in lines if not ln.startswith("hint")), "uv failed without a message")
    return re.sub(r"\s+", " ", text.removeprefix("error:").strip())[:400]


def _roots(names: list[str], parents: dict[str, set[str]], wanted: set[str]) -> list[str]:
    """The members of wanted that (transitively) pull any of names."""
    found, seen, stack = [], set(), list(names)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in wanted and name not in found:
            found.append(name)
        stack.extend(p for p in parents.get(name, ()) if p != "-r")
    return sorted(found)


def _mentions(error: str, key: str) -> bool:
    pattern = re.escape(key).replace(r"\-", "[-_.]")
    return re.search(rf"(?<![\w.-]){pattern}(?![\w-])", error, re.I) is not None


def _bare(line: str) -> str:
    """The requirement without its version: the name and extras."""
    try:
        req = PackagingRequirement(line)
    except InvalidRequirement:
        return line
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{canonicalize_name(req.name)}{extras}"


def _version(text: str | None) -> Version | None:
    try:
        return Version(text) if text else None
    except InvalidVersion:
        return None
