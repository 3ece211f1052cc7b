"""Assisted re-run planning (issue 5 item 9): recognise a mechanical failure and name the repair.

A submission that fails as submitted for a reason an assessor would fix by hand (a `cd src` that
breaks the relative data path, a folder never created, a venv / pip line, a hard-coded absolute
data path, a very slow setting in the candidate's own config) gets a second, clearly labelled run
with only that repaired. The repairs are applied inside the sandbox by sandbox/tools/aie_assist.py.

An install / activate command is neutralised command by command (`python -m venv .venv && python
main.py` keeps `python main.py`) whenever the run failed, with or without `set -e`. Data read at a
relative path where it is not (`sqlite3.connect("<file>.db")`) is placed there. Only the
candidate's own files are read or edited: nothing under a virtualenv, site-packages, node_modules,
.git or __pycache__, and nothing over the scan cap.
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sandbox.base import RunResult
from sandbox.tools.aie_assist import SITE_PACKAGES, VENV_MARKERS, env_command, foreign, logical_lines, split_commands

# one shell command (a segment of a line cut at &&, ;, ||, |) that installs packages or handles an environment;
# the same patterns travel in the plan to sandbox/tools/aie_assist.py, which applies them command by command
ENV_LINE_PATTERNS = (
    r"^\s*(sudo\s+)?(\S*/)?(python[\d.]*\s+-m\s+)?pip[\d.]*\s+install\b",
    r"^\s*uv\s+(pip\s+install|sync|venv)\b",
    r"^\s*(source|\.)\s+\S*activate\b",
    r"^\s*\S*[\\/](bin|Scripts)[\\/]activate(\.bat|\.ps1)?\s*$",
    r"^\s*deactivate\s*$",
    r"^\s*conda\s+(activate|install|create|env\s+(create|update))\b",
    r"^\s*(sudo\s+)?(\S*/)?(python[\d.]*\s+-m\s+)?(venv|virtualenv)\s",
    r"^\s*python[\d.]*\s+-m\s+ensurepip\b",
    r"^\s*(poetry|pipenv)\s+install\b",
    r"^\s*(sudo\s+)?apt(-get)?\s+(-\S+\s+)*(update|install)\b",
)
NO_FILE = re.compile(r"No such file or directory: '([^']+)'")
NO_DIR = re.compile(r"(?:non-existent directory|does not exist):? '([^']+)'")
DB_OPEN = re.compile(r"unable to open database file|no such table", re.I)
NOT_FOUND = re.compile(r"not found|no such file|does not exist|doesn't exist|cannot (?:find|open)|unable to open|"
                       r"missing", re.I)
ABSOLUTE_LITERAL = re.compile(
    r"""["'](/(?:Users|home|mnt|content|opt|data|tmp|root|var)[^"'\n]*|[A-Za-z]:\\\\?[^"'\n]*)["']""")
UNQUOTED_PATH = re.compile(r"""[:=]\s*(/[^\s"'#]+)""")
QUOTED = re.compile(r"""(["'])([^"'\n]{1,300})\1""")
UNQUOTED_VALUE = re.compile(r"""[:=]\s*([^\s"'#,\[\]{}]{1,300})""")
SQLITE_URL = re.compile(r"^sqlite:///")
CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".py")
TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".sh")
UNQUOTED_SUFFIXES = (".yaml", ".yml", ".cfg", ".ini", ".toml")
SLOW_SETTINGS = {"n_iter": 10, "n_trials": 10, "max_evals": 10, "n_estimators": 100, "epochs": 10, "cv": 3,
                 "n_splits": 3, "n_folds": 3}
MAX_SCAN_BYTES = 1_000_000
OFFLINE = "cannot work offline (the sandbox has no network; the grader installs the candidate's requirements itself)"


@dataclass
class AssistPlan:
    """What the assisted run repairs, and why (one reason per repair, for the report)."""

    strip_lines: list[str] = field(default_factory=list)
    link_data: list[str] = field(default_factory=list)
    place_data: list[dict] = field(default_factory=list)
    make_dirs: list[str] = field(default_factory=list)
    replace: list[dict] = field(default_factory=list)
    set_config: list[dict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    REPAIRS = ("strip_lines", "link_data", "place_data", "make_dirs", "replace", "set_config")

    def empty(self) -> bool:
        """True when nothing is to be repaired."""
        return not any(getattr(self, name) for name in self.REPAIRS)

    def as_json(self) -> dict:
        """The plan sandbox/tools/aie_assist.py reads from AIE_ASSIST_PLAN."""
        return {name: getattr(self, name) for name in self.REPAIRS}

    def merge(self, other: AssistPlan) -> bool:
        """Add other's repairs; True when something new was added."""
        grew = False
        for name in self.REPAIRS:
            mine = getattr(self, name)
            for item in getattr(other, name):
                if item not in mine:
                    mine.append(item)
                    grew = True
        for reason in other.reasons:
            if reason not in self.reasons:
                self.reasons.append(reason)
        return grew


class OwnFiles:
    """The submission's files a repair may read or edit: none under a virtualenv, site-packages, .git, ..."""

    def __init__(self, root: Path, files: list[str]) -> None:
        self.root = root
        self.venvs = venv_roots(files)
        self.files = [rel for rel in files if self.own(rel)]

    def own(self, rel: str) -> bool:
        """Whether rel is the candidate's own (not inside a virtualenv or a vendored / tool folder)."""
        return foreign(rel, self.venvs.__contains__) is None

    def text(self, rel: str) -> str:
        """The file's text when it is the candidate's own, a regular file and within the scan cap; else ""."""
        return read_small_text(self.root, rel) if self.own(rel) else ""


def venv_roots(files: list[str]) -> set[str]:
    """Folders of the submission that are virtualenvs: pyvenv.cfg, bin/activate or lib/python3.*/site-packages."""
    roots = set()
    for rel in files:
        path = rel.replace("\\", "/")
        match = SITE_PACKAGES.search(path)
        if match and match.start() > 0:
            roots.add(path[:match.start()])
        for marker in VENV_MARKERS:
            if path.endswith("/" + marker):
                roots.add(path[:-len(marker) - 1])
    return roots


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


def env_commands(run_script: str) -> list[str]:
    """run.sh's commands that install packages or create / activate an environment (one per command, not line)."""
    found = []
    for line in logical_lines(run_script):
        pieces = split_commands(line)
        found += [" ".join(c.split()) for c in pieces[::2] if c.strip() and env_command(c, ENV_LINE_PATTERNS)]
    return found


def plan_repairs(root: Path, files: list[str], run_script: str | None, run: RunResult,
                 data_names: tuple[str, ...]) -> AssistPlan:
    """The repairs this failed run calls for; an empty plan when the failure is not a recognised mechanical one.

    Only the candidate's own files are read or named (OwnFiles): never a committed virtualenv's.
    """
    plan = AssistPlan()
    own = OwnFiles(root, files)
    script = run_script or ""
    log = run.stdout + "\n" + run.stderr
    dirs = [d for d in cd_targets(script) if own.own(d)]
    missing = NO_FILE.findall(log) + NO_DIR.findall(log)
    if DB_OPEN.search(log) or _data_missing(log, missing, data_names):
        _plan_data_repairs(plan, own, dirs, missing, data_names)
    _plan_folders(plan, own, dirs, missing, data_names)
    if run.timed_out:
        for rel, key, value, new in _slow_settings(own):
            plan.set_config.append({"file": rel, "key": key, "value": new})
            plan.reasons.append(f"{rel}: {key} = {value} makes the run exceed the time limit: set to {new}")
    commands = env_commands(script)
    if commands:  # plan_repairs is asked only about a failed run: these fail offline, with or without `set -e`
        plan.strip_lines.extend(ENV_LINE_PATTERNS)
        plan.reasons.append(f"run.sh installs packages or creates / activates an environment, which {OFFLINE}: "
                            f"those commands removed, the rest of each line kept ({'; '.join(commands[:3])})")
    return plan


def _data_missing(log: str, missing: list[str], data_names: tuple[str, ...]) -> bool:
    """Whether the log says a data file (or something under data/) was not found."""
    if any(PurePosixPath(m).name in data_names or m.startswith("data") for m in missing):
        return True
    return any(NOT_FOUND.search(line) and any(name in line for name in data_names) for line in log.splitlines())


def _plan_data_repairs(plan: AssistPlan, own: OwnFiles, dirs: list[str], missing: list[str],
                       data_names: tuple[str, ...]) -> None:
    """The data is not where the pipeline reads it: absolute paths replaced, data/ linked, the file placed."""
    for literal, rel in _absolute_data_paths(own, data_names):
        name = PurePosixPath(literal.replace("\\", "/")).name
        new = f"data/{name}" if name in data_names else "data"
        plan.replace.append({"file": rel, "old": literal, "new": new})
        plan.reasons.append(f"{rel}: hard-coded absolute data path {literal!r} replaced by {new!r}")
    if dirs:
        plan.link_data.extend(dirs)
        plan.reasons.append(f"run.sh changes into {', '.join(dirs)}, which breaks the relative data path: "
                            f"data/ and output/ linked there")
    sources = [(m, "the error message") for m in missing] + _relative_data_literals(own, data_names)
    for location, literal, source in _placements(own, dirs, sources, data_names):
        plan.place_data.append({"path": location})
        plan.reasons.append(f"the pipeline reads {literal!r} ({source}), where the data is not: data placed at "
                            f"{location}, as an assessor would")


def _plan_folders(plan: AssistPlan, own: OwnFiles, dirs: list[str], missing: list[str],
                  data_names: tuple[str, ...]) -> None:
    """Folders the pipeline writes into but never creates."""
    for path in missing:
        pure = PurePosixPath(path)
        if pure.is_absolute() or pure.parts[:1] == ("data",) or pure.name in data_names:
            continue
        folder = str(pure.parent) if pure.suffix else str(pure)
        if folder in (".", "") or ".." in PurePosixPath(folder).parts or not own.own(folder):
            continue
        for base in ["", *dirs]:
            target = str(PurePosixPath(base) / folder) if base else folder
            if target not in plan.make_dirs:
                plan.make_dirs.append(target)
        plan.reasons.append(f"the pipeline writes into {folder}/ but never creates it: folder created")


def data_path_of(literal: str) -> str:
    """A path literal as a "/"-separated path (a sqlite:/// URL's path, Windows separators turned)."""
    return SQLITE_URL.sub("", literal.strip().replace("\\\\", "/").replace("\\", "/"))


def _placements(own: OwnFiles, dirs: list[str], sources: list[tuple[str, str]],
                data_names: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(location, literal, where it was read) for each relative data path that resolves inside the
    submission, where the data is not, outside data/ (staged there already, or linked by link_data)."""
    found: list[tuple[str, str, str]] = []
    for literal, source in sources:
        path = posixpath.normpath(data_path_of(literal))
        if PurePosixPath(path).name not in data_names or path.startswith("/") or path.startswith("data/"):
            continue  # data/...: staged there, or linked into the folders run.sh changes into (link_data)
        for base in ["", *dirs]:
            location = posixpath.normpath(posixpath.join(base, path))
            parts = PurePosixPath(location).parts
            if parts[:1] in (("..",), ("data",)) or any(location == f[0] for f in found):
                continue
            if not own.own(location) or os.path.lexists(own.root / location):
                continue
            found.append((location, literal, source))
    return found


def _relative_data_literals(own: OwnFiles, data_names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(literal, file) for every relative path literal naming a data file in the candidate's own text files."""
    found = []
    for rel in own.files:
        if not rel.endswith(TEXT_SUFFIXES):
            continue
        text = own.text(rel)
        # a quoted literal after `,`, `/` or `+` is one part of a path built in code (os.path.join): not a path
        literals = [m.group(2) for m in QUOTED.finditer(text) if _char_before(text, m.start()) not in (",", "/", "+")]
        if rel.endswith(UNQUOTED_SUFFIXES):
            literals += [m.group(1) for m in UNQUOTED_VALUE.finditer(text)]
        for literal in literals:
            path = data_path_of(literal)
            if PurePosixPath(path).name in data_names and not path.startswith("/") and (literal, rel) not in found:
                found.append((literal, rel))
    return found


def _char_before(text: str, index: int) -> str:
    """The last non-blank character before index on its line ("" when none)."""
    while index > 0 and text[index - 1] in " \t":
        index -= 1
    return text[index - 1] if index > 0 and text[index - 1] != "\n" else ""


def _absolute_data_paths(own: OwnFiles, data_names: tuple[str, ...]) -> list[tuple[str, str]]:
    found = []
    for rel in own.files:
        if not rel.endswith(TEXT_SUFFIXES):
            continue
        text = own.text(rel)
        for match in ABSOLUTE_LITERAL.finditer(text):
            literal = match.group(1)
            name = PurePosixPath(literal.replace("\\", "/")).name
            if name in data_names or name == "data":
                found.append((literal, rel))
        if rel.endswith(UNQUOTED_SUFFIXES):  # unquoted values: `db: /Users/me/data/x.db`
            for match in UNQUOTED_PATH.finditer(text):
                literal = match.group(1).strip()
                if PurePosixPath(literal).name in data_names and (literal, rel) not in found:
                    found.append((literal, rel))
    return found


def _slow_settings(own: OwnFiles) -> list[tuple[str, str, int, int]]:
    found = []
    for rel in own.files:
        if not rel.endswith(CONFIG_SUFFIXES) or rel.startswith(("tests/", "test_")):
            continue
        text = own.text(rel)
        for key, ceiling in SLOW_SETTINGS.items():
            for match in re.finditer(rf"""["']?\b{key}\b["']?\s*[:=]\s*(\d+)""", text):
                value = int(match.group(1))
                if value > ceiling * 3:
                    found.append((rel, key, value, ceiling))
    return found
