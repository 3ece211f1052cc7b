"""Assisted re-run planning (issue 5 item 9): recognise a mechanical failure and name the repair.

A submission that fails as submitted for a reason an assessor would fix by hand (a `cd src` that
breaks the relative data path, a folder never created, a venv / pip line, a hard-coded absolute
data path, a very slow setting in the candidate's own config) gets a second, clearly labelled run
with only that repaired. The repairs are applied inside the sandbox by sandbox/tools/aie_assist.py.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sandbox.base import RunResult

ENV_LINE_PATTERNS = (
    r"^\s*(sudo\s+)?(python3?\s+-m\s+)?pip3?\s+install\b",
    r"^\s*(source|\.)\s+\S*activate\b",
    r"^\s*conda\s+(activate|install|env\s+create)\b",
    r"^\s*(python3?\s+-m\s+)?(venv|virtualenv)\s",
    r"^\s*poetry\s+install\b",
)
NO_FILE = re.compile(r"No such file or directory: '([^']+)'")
NO_DIR = re.compile(r"(?:non-existent directory|does not exist):? '([^']+)'")
DB_OPEN = re.compile(r"unable to open database file|no such table", re.I)
ABSOLUTE_LITERAL = re.compile(
    r"""["'](/(?:Users|home|mnt|content|opt|data|tmp|root|var)[^"'\n]*|[A-Za-z]:\\\\?[^"'\n]*)["']""")
UNQUOTED_PATH = re.compile(r"""[:=]\s*(/[^\s"'#]+)""")
CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".py")
TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".sh")
SLOW_SETTINGS = {"n_iter": 10, "n_trials": 10, "max_evals": 10, "n_estimators": 100, "epochs": 10, "cv": 3,
                 "n_splits": 3, "n_folds": 3}
MAX_SCAN_BYTES = 1_000_000


@dataclass
class AssistPlan:
    """What the assisted run repairs, and why (one reason per repair, for the report)."""

    strip_lines: list[str] = field(default_factory=list)
    link_data: list[str] = field(default_factory=list)
    make_dirs: list[str] = field(default_factory=list)
    replace: list[dict] = field(default_factory=list)
    set_config: list[dict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.strip_lines or self.link_data or self.make_dirs or self.replace or self.set_config)

    def as_json(self) -> dict:
        return {"strip_lines": self.strip_lines, "link_data": self.link_data, "make_dirs": self.make_dirs,
                "replace": self.replace, "set_config": self.set_config}

    def merge(self, other: AssistPlan) -> bool:
        """Add other's repairs; True when something new was added."""
        grew = False
        for name in ("strip_lines", "link_data", "make_dirs", "replace", "set_config"):
            mine = getattr(self, name)
            for item in getattr(other, name):
                if item not in mine:
                    mine.append(item)
                    grew = True
        for reason in other.reasons:
            if reason not in self.reasons:
                self.reasons.append(reason)
        return grew


def read_small_text(root: Path, rel: str, limit: int = MAX_SCAN_BYTES) -> str:
    """A regular file of the submission as text, read on the host ("" for links, folders, files over limit)."""
    path = root / rel
    if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
        return ""
    return path.read_text(encoding="utf-8", errors="replace")


def cd_targets(run_script: str) -> list[str]:
    """Directories run.sh changes into (relative ones inside the submission)."""
    dirs = []
    for line in run_script.splitlines():
        for part in re.split(r"&&|;|\|\|", line):
            try:
                words = shlex.split(part, comments=True)
            except ValueError:
                continue
            if len(words) >= 2 and words[0] in ("cd", "pushd"):
                target = PurePosixPath(words[1])
                if not target.is_absolute() and ".." not in target.parts and str(target) not in (".", "-"):
                    dirs.append(str(target))
    return list(dict.fromkeys(dirs))


def plan_repairs(root: Path, files: list[str], run_script: str | None, run: RunResult,
                 data_names: tuple[str, ...]) -> AssistPlan:
    """The repairs this failed run calls for; an empty plan when the failure is not a recognised mechanical one."""
    plan = AssistPlan()
    script = run_script or ""
    log = run.stdout + "\n" + run.stderr
    env_lines = [line.strip() for line in script.splitlines()
                 if any(re.search(p, line) for p in ENV_LINE_PATTERNS)]
    dirs = cd_targets(script)
    missing = NO_FILE.findall(log) + NO_DIR.findall(log)
    if DB_OPEN.search(log) or any(PurePosixPath(m).name in data_names or m.startswith("data") for m in missing):
        for literal, rel in _absolute_data_paths(root, files, data_names):
            new = f"data/{PurePosixPath(literal.replace(chr(92), '/')).name}" \
                if PurePosixPath(literal.replace(chr(92), "/")).name in data_names else "data"
            plan.replace.append({"file": rel, "old": literal, "new": new})
            plan.reasons.append(f"{rel}: hard-coded absolute data path {literal!r} replaced by {new!r}")
        if dirs:
            plan.link_data.extend(dirs)
            plan.reasons.append(f"run.sh changes into {', '.join(dirs)}, which breaks the relative data path: "
                                f"data/ linked there")
    for path in missing:
        pure = PurePosixPath(path)
        if pure.is_absolute() or pure.parts[:1] == ("data",) or pure.name in data_names:
            continue
        folder = str(pure.parent) if pure.suffix else str(pure)
        if folder in (".", ""):
            continue
        for base in ["", *dirs]:
            target = str(PurePosixPath(base) / folder) if base else folder
            if target not in plan.make_dirs:
                plan.make_dirs.append(target)
        plan.reasons.append(f"the pipeline writes into {folder}/ but never creates it: folder created")
    if run.timed_out:
        for rel, key, value, new in _slow_settings(root, files):
            plan.set_config.append({"file": rel, "key": key, "value": new})
            plan.reasons.append(f"{rel}: {key} = {value} makes the run exceed the time limit: set to {new}")
    if not plan.empty() and env_lines:
        plan.strip_lines.extend(ENV_LINE_PATTERNS)
        plan.reasons.append("run.sh installs packages or activates an environment, which cannot work offline: "
                            f"removed ({'; '.join(env_lines[:3])})")
    elif env_lines and re.search(r"^\s*set\s+-[a-z]*e", script, re.M) and not run.succeeded:
        plan.strip_lines.extend(ENV_LINE_PATTERNS)
        plan.reasons.append(f"run.sh fails at an install / activate line ({'; '.join(env_lines[:3])}): removed")
    return plan


def _absolute_data_paths(root: Path, files: list[str], data_names: tuple[str, ...]) -> list[tuple[str, str]]:
    found = []
    for rel in files:
        if not rel.endswith(TEXT_SUFFIXES):
            continue
        for match in ABSOLUTE_LITERAL.finditer(read_small_text(root, rel)):
            literal = match.group(1)
            name = PurePosixPath(literal.replace("\\", "/")).name
            if name in data_names or name == "data":
                found.append((literal, rel))
        if rel.endswith((".yaml", ".yml", ".cfg", ".ini", ".toml")):  # unquoted values: `db: /Users/me/data/x.db`
            for match in UNQUOTED_PATH.finditer(read_small_text(root, rel)):
                literal = match.group(1).strip()
                if PurePosixPath(literal).name in data_names and (literal, rel) not in found:
                    found.append((literal, rel))
    return found


def _slow_settings(root: Path, files: list[str]) -> list[tuple[str, str, int, int]]:
    found = []
    for rel in files:
        if not rel.endswith(CONFIG_SUFFIXES) or rel.startswith(("tests/", "test_")):
            continue
        text = read_small_text(root, rel)
        for key, ceiling in SLOW_SETTINGS.items():
            for match in re.finditer(rf"""["']?\b{key}\b["']?\s*[:=]\s*(\d+)""", text):
                value = int(match.group(1))
                if value > ceiling * 3:
                    found.append((rel, key, value, ceiling))
    return found
