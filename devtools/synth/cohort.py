"""A synthetic cohort for the batch grader: N varied submissions derived from the sample submissions.

Each candidate is a copy of a non-hostile sample, optionally obfuscated (devtools.synth.transforms), with its
hyper-parameters perturbed within sane ranges, sometimes deliberately broken, and packaged as a directory, a zip,
a tar.gz or a git bundle. `out/candidates.csv` lists them and `out/MANIFEST.json` records how each was made.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tokenize
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "sample_submissions"
EXCLUDED_FILES = frozenset({"EXPECTED.toml", "ATTACK.toml"})
EXCLUDED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".git", ".venv", "output"})
FORMATS = ("dir", "zip", "tar.gz", "bundle")
SUFFIX = {"dir": "", "zip": ".zip", "tar.gz": ".tar.gz", "bundle": ".bundle"}
BREAKAGES = ("syntax_error", "run_sh_missing", "run_sh_exit1", "notebook_empty", "notebook_not_json",
             "non_utf8_py", "py2_print", "corrupt_zip", "predictions_removed")
TRANSFORM_CHOICES = ("rename", "reorder", "comments_literals", "dead_code")
FIXED_DATE = (2024, 5, 1, 12, 0, 0)
GIT_DATE = "2024-05-01T12:00:00+0000"
# Samples that fail as submitted, whatever the cohort does to them (see the repository README); recorded in the
# manifest as `base_known_failure` so batch tests do not mistake them for deliberate breakage.
KNOWN_BASE_FAILURES = {
    "broken": "the sample crashes while cleaning parcel_weight and writes no predictions",
    "cd_src": "run.sh runs pip install and `cd src`, so the relative data path breaks",
    "abs_path": "run.sh activates a missing venv and config.yaml holds absolute data paths",
}


@dataclass
class Candidate:
    """How one synthetic candidate is made (one MANIFEST.json entry)."""

    candidate_id: str
    base: str
    format: str
    location: str = ""
    transforms: list[str] = field(default_factory=list)
    perturbations: list[dict[str, Any]] = field(default_factory=list)
    breakage: dict[str, str] | None = None
    archive_root: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"candidate_id": self.candidate_id, "location": self.location, "base": self.base,
                "format": self.format, "archive_root": self.archive_root, "transforms": self.transforms,
                "perturbations": self.perturbations, "breakage": self.breakage,
                "base_known_failure": KNOWN_BASE_FAILURES.get(self.base)}


def base_samples(samples_dir: Path) -> list[Path]:
    """The non-hostile sample submissions (folders with a run.sh or a notebook), sorted by name."""
    return sorted(p for p in samples_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(("hostile", ".", "_"))
                  and ((p / "run.sh").is_file() or any(p.glob("*.ipynb"))))


def copy_submission(src: Path, dest: Path) -> None:
    """Copy a sample without its calibration files (EXPECTED.toml, ATTACK.toml) and caches."""

    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in EXCLUDED_FILES or n in EXCLUDED_DIRS or n.endswith(".pyc")}

    shutil.copytree(src, dest, ignore=ignore, symlinks=False)


def python_files(root: Path) -> list[Path]:
    """Every .py file of a submission (outside data/, output/ and hidden folders), sorted."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if rel[0] in ("data", "output") or any(p.startswith(".") or p in EXCLUDED_DIRS for p in rel[:-1]):
            continue
        found.append(path)
    return found


def entry_module(root: Path) -> Path | None:
    """The .py file run.sh starts (`python -m pkg.mod`, `python path.py`, after an optional `cd DIR`), if any."""
    run = root / "run.sh"
    if run.is_file():
        cwd = root
        for line in run.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.split("#", 1)[0].strip()
            cd = re.match(r"cd\s+([\w./-]+)\s*$", line)
            if cd and "$" not in cd.group(1):
                cwd = root / cd.group(1)
                continue
            match = re.search(r"python[\d.]*\s+(?:-\w\s+)*?(?:-m\s+([\w.]+)|([\w./-]+\.py))", line)
            if match:
                target = cwd / (match.group(1).replace(".", "/") + ".py") if match.group(1) else cwd / match.group(2)
                if target.is_file():
                    return target
                if match.group(1) and (cwd / match.group(1).replace(".", "/") / "__main__.py").is_file():
                    return cwd / match.group(1).replace(".", "/") / "__main__.py"
    for path in python_files(root):
        if path.name == "main.py":
            return path
    for path in python_files(root):
        if "__main__" in path.read_text(encoding="utf-8", errors="replace"):
            return path
    return None


# ----------------------------------------------------------------------------------------------- perturbations

def _int_around(value: str, rng: random.Random, low: int, high: int, steps: Sequence[int]) -> str:
    return str(min(high, max(low, int(float(value)) + rng.choice(steps))))


def _perturb_value(key: str, value: str, rng: random.Random) -> str | None:
    """A new valid value for one hyper-parameter (key in lower case), or None when the key is not one we perturb."""
    key = key.lower()
    if key in ("random_state", "seed"):
        return str(rng.randint(0, 9999))
    if key in ("test_size", "test_fraction"):
        return rng.choice(["0.15", "0.2", "0.25", "0.3"])
    if key == "n_estimators":
        return str(rng.choice([50, 100, 150, 200]))
    if key == "max_depth":
        return _int_around(value, rng, 2, 20, (-2, -1, 1, 2))
    if key == "min_samples_leaf":
        return _int_around(value, rng, 1, 20, (-1, 1, 2))
    if key in ("cv_folds", "n_folds"):
        return str(rng.choice([3, 4, 5]))
    if key == "learning_rate":
        return rng.choice(["0.03", "0.05", "0.1", "0.2"])
    if key == "c":
        new = f"{float(value) * rng.choice([0.5, 2.0]):.4g}"
        return new if "." in new or "e" in new else new + ".0"
    return None


NUMBER = r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?"
YAML_LINE = re.compile(rf"^(\s*)(\w+)(:\s*)({NUMBER}|\[\s*{NUMBER}(?:\s*,\s*{NUMBER})*\s*\])(\s*(?:#.*)?)$")


def perturb_config(path: Path, rng: random.Random, rel: str) -> list[dict[str, Any]]:
    """Change some numeric hyper-parameters of a YAML file in place (comments kept); returns what changed."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changes: list[dict[str, Any]] = []
    eligible = [i for i, line in enumerate(lines)
                if (m := YAML_LINE.match(line.rstrip("\n"))) and _perturb_value(m.group(2), "1", random.Random(0))]
    if not eligible:
        return changes
    chosen = [i for i in eligible if rng.random() < 0.5] or [rng.choice(eligible)]
    for i in chosen:
        match = YAML_LINE.match(lines[i].rstrip("\n"))
        assert match is not None
        indent, key, colon, value, tail = match.groups()
        if value.startswith("["):
            items = [v.strip() for v in value.strip("[] ").split(",")]
            new_items = list(dict.fromkeys(_perturb_value(key, v, rng) or v for v in items))  # no repeated grid points
            new = "[" + ", ".join(new_items) + "]"
        else:
            new = _perturb_value(key, value, rng) or value
        if new != value:
            lines[i] = f"{indent}{key}{colon}{new}{tail}" + ("\n" if lines[i].endswith("\n") else "")
            changes.append({"file": rel, "key": key, "old": value, "new": new})
    path.write_text("".join(lines), encoding="utf-8")
    return changes


def perturb_python(path: Path, rng: random.Random, rel: str) -> list[dict[str, Any]]:
    """Change literal hyper-parameters in code in place: `random_state=1`, `SEED: int = 42`, `"--seed", default=7`."""
    text = path.read_text(encoding="utf-8")
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in (tokenize.COMMENT, tokenize.NL)]
    except (tokenize.TokenError, SyntaxError):
        return []
    lines = text.splitlines(keepends=True)
    changes: list[dict[str, Any]] = []
    edits: list[tuple[int, int, int, str]] = []
    option: str | None = None  # the --option named earlier on this logical line (argparse defaults)
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.NEWLINE:
            option = None
        elif tok.type == tokenize.STRING and (m := re.fullmatch(r"[rbuRBU]?['\"]--([\w-]+)['\"]", tok.string)):
            option = m.group(1).replace("-", "_")
        if tok.type != tokenize.NUMBER or i < 2 or tokens[i - 1].string != "=":
            continue
        name = tokens[i - 2]
        if i >= 4 and tokens[i - 3].string == ":":  # `seed: int = 42`
            name = tokens[i - 4]
        key = (option if name.string == "default" and option else name.string).lower()
        new = _perturb_value(key, tok.string, rng) if rng.random() < 0.6 else None
        if new is not None and new != tok.string:
            edits.append((tok.start[0], tok.start[1], tok.end[1], new))
            changes.append({"file": rel, "key": key, "old": tok.string, "new": new})
    for row, start, end, new in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + new + line[end:]
    if edits:
        path.write_text("".join(lines), encoding="utf-8")
    return changes


def perturb(root: Path, rng: random.Random) -> list[dict[str, Any]]:
    """Perturb config.yaml when there is one, else literal hyper-parameters in the code."""
    config = root / "config.yaml"
    if config.is_file():
        changes = perturb_config(config, rng, "config.yaml")
        if changes:
            return changes
    changes = []
    for path in python_files(root):
        changes += perturb_python(path, rng, str(path.relative_to(root)))
    return changes


# ----------------------------------------------------------------------------------------------- breakages

def _statement_insert_line(tree: ast.Module) -> int:
    """The 0-based line before the first top-level statement that is not the docstring, an import or __future__."""
    for i, node in enumerate(tree.body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        decorators = getattr(node, "decorator_list", [])
        return min([node.lineno] + [d.lineno for d in decorators]) - 1
    return (tree.body[-1].end_lineno or 0) if tree.body else 0


def _module_for_breakage(root: Path, rng: random.Random) -> Path | None:
    """The entry module most of the time, another parseable module otherwise."""
    modules = [p for p in python_files(root) if p.stat().st_size > 0 and _parses(p)]
    entry = entry_module(root)
    if entry is not None and entry in modules and (rng.random() < 0.6 or len(modules) == 1):
        return entry
    return rng.choice(modules) if modules else None


def _parses(path: Path) -> bool:
    try:
        ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return False
    return True


def _break_syntax(root: Path, rng: random.Random) -> dict[str, str] | None:
    path = _module_for_breakage(root, rng)
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    variants = [("x = = 1", "doubled '='"), ("if ready", "if without a colon"),
                ("total = [1, 2", "unclosed bracket")]
    bad, what = rng.choice(variants)
    if functions:
        first = rng.choice(functions).body[0]
        at, indent = first.lineno - 1, " " * first.col_offset
    else:
        at, indent = _statement_insert_line(tree), ""
    lines.insert(at, f"{indent}{bad}\n")
    path.write_text("".join(lines), encoding="utf-8")
    try:
        compile("".join(lines), str(path), "exec")
    except SyntaxError:
        return {"kind": "syntax_error", "file": str(path.relative_to(root)), "detail": f"line {at + 1}: {what}"}
    path.write_text("".join(lines) + "\ndef broken(:\n    pass\n", encoding="utf-8")
    return {"kind": "syntax_error", "file": str(path.relative_to(root)), "detail": "def broken(: at the end"}


def _break_run_sh_missing(root: Path, rng: random.Random) -> dict[str, str] | None:
    if not (root / "run.sh").is_file():
        return None
    (root / "run.sh").unlink()
    return {"kind": "run_sh_missing", "file": "run.sh", "detail": "run.sh deleted"}


def _break_run_sh_exit1(root: Path, rng: random.Random) -> dict[str, str] | None:
    run = root / "run.sh"
    if not run.is_file():
        return None
    lines = run.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines)
               if line.strip() and not line.lstrip().startswith("#") and not line.startswith(("set ", "export "))),
              len(lines))
    message = rng.choice(["setup failed: missing data", "environment check failed", "not implemented yet"])
    lines.insert(at, f'echo "{message}" >&2\nexit 1\n')
    run.write_text("".join(lines), encoding="utf-8")
    return {"kind": "run_sh_exit1", "file": "run.sh", "detail": f"'exit 1' inserted at line {at + 1}"}


def _notebook(root: Path) -> Path:
    found = sorted(root.glob("*.ipynb")) or sorted(root.rglob("*.ipynb"))
    return found[0] if found else root / "eda.ipynb"


def _break_notebook_empty(root: Path, rng: random.Random) -> dict[str, str] | None:
    nb = _notebook(root)
    nb.write_bytes(b"")
    return {"kind": "notebook_empty", "file": str(nb.relative_to(root)), "detail": "0-byte notebook"}


def _break_notebook_not_json(root: Path, rng: random.Random) -> dict[str, str] | None:
    nb = _notebook(root)
    data = nb.read_bytes() if nb.is_file() else b'{"cells": []}'
    nb.write_bytes(data[: max(1, len(data) // rng.choice([2, 3, 5]))])
    return {"kind": "notebook_not_json", "file": str(nb.relative_to(root)), "detail": "notebook JSON truncated"}


def _break_non_utf8(root: Path, rng: random.Random) -> dict[str, str] | None:
    path = _module_for_breakage(root, rng)
    if path is None:
        return None
    data = path.read_bytes()
    comment = rng.choice(["# r\xe9sum\xe9 of the d\xe9livery data\n", "# temp\xe9rature et caf\xe9\n"])
    comment_bytes = comment.encode("latin-1")
    lines = data.splitlines(keepends=True)
    at = min(len(lines), 2 + rng.randrange(max(1, len(lines) - 2)))
    lines.insert(at, comment_bytes)
    path.write_bytes(b"".join(lines))
    return {"kind": "non_utf8_py", "file": str(path.relative_to(root)), "detail": f"latin-1 comment at line {at + 1}"}


def _break_py2_print(root: Path, rng: random.Random) -> dict[str, str] | None:
    path = _module_for_breakage(root, rng)
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = _statement_insert_line(ast.parse(text))
    lines.insert(at, f'print "{rng.choice(["Starting the pipeline", "loading data", "debug"])}"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return {"kind": "py2_print", "file": str(path.relative_to(root)), "detail": f"Python 2 print at line {at + 1}"}


def _break_predictions(root: Path, rng: random.Random) -> dict[str, str] | None:
    """Replace the statement that writes the predictions (a .to_csv call) with `pass`."""
    found: list[tuple[int, Path, ast.stmt]] = []
    for path in python_files(root):
        try:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            body = [s for name in ("body", "orelse", "finalbody")
                    if isinstance(getattr(node, name, None), list) for s in getattr(node, name)]
            for stmt in body:
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                        and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "to_csv":
                    segment = ast.get_source_segment(text, stmt) or ""
                    score = 2 if "predict" in segment.lower() else 1 if "predict" in path.name else 0
                    found.append((score, path, stmt))
    if not found:
        return None
    found.sort(key=lambda item: (-item[0], str(item[1]), item[2].lineno))
    _, path, stmt = found[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    indent = " " * stmt.col_offset
    lines[stmt.lineno - 1: stmt.end_lineno] = [f"{indent}pass\n"]
    path.write_text("".join(lines), encoding="utf-8")
    return {"kind": "predictions_removed", "file": str(path.relative_to(root)),
            "detail": f"the .to_csv call at line {stmt.lineno} replaced by pass"}


BREAKERS: dict[str, Callable[[Path, random.Random], dict[str, str] | None]] = {
    "syntax_error": _break_syntax, "run_sh_missing": _break_run_sh_missing, "run_sh_exit1": _break_run_sh_exit1,
    "notebook_empty": _break_notebook_empty, "notebook_not_json": _break_notebook_not_json,
    "non_utf8_py": _break_non_utf8, "py2_print": _break_py2_print, "predictions_removed": _break_predictions,
}


def break_submission(root: Path, kind: str, rng: random.Random) -> dict[str, str] | None:
    """Apply one deliberate breakage in place; None when it does not apply to this submission."""
    if kind == "corrupt_zip":
        return {"kind": "corrupt_zip", "file": "", "detail": "the zip is truncated"}
    return BREAKERS[kind](root, rng)


# ----------------------------------------------------------------------------------------------- transforms

def apply_transforms(root: Path, names: Sequence[str], rng: random.Random, workdir: Path) -> list[str]:
    """Apply obfuscation attacks in order (in place); returns the ones applied (with the dead-code rate)."""
    try:
        from devtools.synth.transforms import apply_attack
    except ImportError:
        return []
    applied = []
    for i, name in enumerate(names):
        kw: dict[str, Any] = {}
        label = name
        if name == "dead_code":
            kw["rate"] = rng.choice([0.25, 0.5])
            label = f"dead_code:{kw['rate']}"
        dest = workdir / f"t{i}"
        apply_attack(root, dest, name, rng, **kw)
        shutil.rmtree(root)
        dest.rename(root)
        applied.append(label)
    return applied


# ----------------------------------------------------------------------------------------------- packaging

def _files_for_archive(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def write_zip(root: Path, dest: Path, prefix: str) -> None:
    """A deterministic zip of the folder (fixed timestamps, sorted names), optionally under a wrapping folder."""
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in _files_for_archive(root):
            info = zipfile.ZipInfo(prefix + path.relative_to(root).as_posix(), date_time=FIXED_DATE)
            info.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def write_tar_gz(root: Path, dest: Path, prefix: str) -> None:
    """A deterministic tar.gz of the folder (mtime 0, root owner, sorted names)."""
    with dest.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for path in _files_for_archive(root):
            info = tarfile.TarInfo(prefix + path.relative_to(root).as_posix())
            data = path.read_bytes()
            info.size, info.mtime, info.mode = len(data), 0, 0o755 if os.access(path, os.X_OK) else 0o644
            info.uname = info.gname = "candidate"
            tf.addfile(info, io.BytesIO(data))


def git_env() -> dict[str, str]:
    """An environment for git that reads no user or system config and commits as a fixed synthetic author."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_AUTHOR_NAME": "Synthetic Candidate", "GIT_AUTHOR_EMAIL": "candidate@example.invalid",
                "GIT_COMMITTER_NAME": "Synthetic Candidate", "GIT_COMMITTER_EMAIL": "candidate@example.invalid",
                "GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE, "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"})
    return env


def write_bundle(root: Path, dest: Path) -> None:
    """Commit the folder into a fresh repository and write `git bundle create dest --all`."""
    env = git_env()
    config = ["-c", "user.email=candidate@example.invalid", "-c", "user.name=Synthetic Candidate",
              "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false",
              "-c", "pack.threads=1"]
    steps = [["git", *config, "init", "-q", "."],
             ["git", *config, "add", "-A", "-f", "."],
             ["git", *config, "commit", "-q", "--no-verify", "-m", "Submission"],
             ["git", *config, "bundle", "create", "-q", str(dest.resolve()), "--all"]]
    for step in steps:
        proc = subprocess.run(step, cwd=root, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(step[:1] + step[-4:])} failed in {root}: {proc.stderr.strip()}")


def package(root: Path, cand: Candidate, out: Path, rng: random.Random) -> Path:
    """Move or pack the finished candidate folder into out/ in its format; returns the final path."""
    final = out / (cand.candidate_id + SUFFIX[cand.format])
    if cand.format == "dir":
        shutil.move(str(root), final)
    elif cand.format in ("zip", "tar.gz"):
        cand.archive_root = f"{cand.candidate_id}/" if rng.random() < 0.5 else ""
        writer = write_zip if cand.format == "zip" else write_tar_gz
        writer(root, final, cand.archive_root)
        if cand.breakage and cand.breakage["kind"] == "corrupt_zip":
            size = final.stat().st_size
            keep = max(22, int(size * rng.uniform(0.3, 0.8)))
            with final.open("r+b") as fh:
                fh.truncate(keep)
            cand.breakage["detail"] = f"the zip is truncated from {size} to {keep} bytes"
    elif cand.format == "bundle":
        write_bundle(root, final)
    else:
        raise ValueError(f"unknown format {cand.format!r}")
    return final


# ----------------------------------------------------------------------------------------------- the cohort

def plan_cohort(n: int, seed: int, bases: Sequence[Path], broken_fraction: float,
                formats: Sequence[str]) -> list[Candidate]:
    """Decide base, format and breakage kind of every candidate (deterministic for the seed)."""
    rng = random.Random(f"cohort-plan:{seed}")
    order: list[Path] = []
    while len(order) < n:
        cycle = list(bases)
        rng.shuffle(cycle)
        order += cycle
    fmt = [formats[i % len(formats)] for i in range(n)]
    rng.shuffle(fmt)
    kinds = [k for k in BREAKAGES if k != "corrupt_zip" or "zip" in formats]
    n_broken = min(n, round(n * broken_fraction))
    broken_at = sorted(rng.sample(range(n), n_broken))
    kind_cycle: list[str] = []
    plan = [Candidate(candidate_id=f"cand-{i + 1:04d}", base=order[i].name, format=fmt[i]) for i in range(n)]
    for i in broken_at:
        if not kind_cycle:
            kind_cycle = list(kinds)
            rng.shuffle(kind_cycle)
        kind = kind_cycle.pop()
        plan[i].breakage = {"kind": kind}
        if kind == "corrupt_zip":
            plan[i].format = "zip"
    return plan


def _clear_previous(out: Path) -> None:
    """Remove what an earlier run into the same folder wrote (only our own names)."""
    for path in out.glob("cand-*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    for name in ("candidates.csv", "MANIFEST.json"):
        (out / name).unlink(missing_ok=True)


def synth_cohort(n: int, out: Path, seed: int = 0, samples_dir: Path | None = None,
                 broken_fraction: float = 0.15, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write n varied submissions into out/ with candidates.csv and MANIFEST.json; returns their paths in order."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be a non-empty subset of {FORMATS}")
    if not 0.0 <= broken_fraction <= 1.0:
        raise ValueError("broken_fraction must be within 0..1")
    samples_dir = Path(samples_dir) if samples_dir is not None else DEFAULT_SAMPLES
    bases = base_samples(samples_dir)
    if not bases:
        raise ValueError(f"no non-hostile sample submissions in {samples_dir}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _clear_previous(out)
    by_name = {b.name: b for b in bases}
    plan = plan_cohort(n, seed, bases, broken_fraction, formats)
    paths: list[Path] = []
    staging = Path(tempfile.mkdtemp(prefix=".synth-", dir=out))
    try:
        for index, cand in enumerate(plan):
            rng = random.Random(f"cohort:{seed}:{index}")
            work = staging / cand.candidate_id
            work.mkdir()
            root = work / "sub"
            copy_submission(by_name[cand.base], root)
            if rng.random() < 0.7:
                cand.perturbations = perturb(root, rng)
            if rng.random() < 0.5:
                chosen = rng.sample(TRANSFORM_CHOICES, rng.choice([1, 1, 2]))
                chosen.sort(key=TRANSFORM_CHOICES.index)
                cand.transforms = apply_transforms(root, chosen, rng, work)
            if cand.breakage is not None:
                kind = cand.breakage["kind"]
                result = break_submission(root, kind, rng)
                for fallback in ("run_sh_exit1", "notebook_not_json", "notebook_empty"):
                    if result is not None:
                        break
                    result = break_submission(root, fallback, rng)
                cand.breakage = result
            final = package(root, cand, out, rng)
            cand.location = final.relative_to(out).as_posix()
            paths.append(final)
            shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    with (out / "candidates.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["candidate_id", "location"])
        for cand in plan:
            writer.writerow([cand.candidate_id, cand.location])
    manifest = {"seed": seed, "n": n, "broken_fraction": broken_fraction, "formats": list(formats),
                "samples_dir": str(samples_dir), "bases": [b.name for b in bases],
                "candidates": [c.as_dict() for c in plan]}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m devtools.synth.cohort N OUT [--seed S]`: write a synthetic cohort and print a one-line summary."""
    parser = argparse.ArgumentParser(prog="python -m devtools.synth.cohort", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of submissions")
    parser.add_argument("out", type=Path, help="output folder (candidates.csv, MANIFEST.json, cand-NNNN*)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=Path, default=None, help="sample submissions folder (default: the repo's)")
    parser.add_argument("--broken-fraction", type=float, default=0.15)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset of " + ",".join(FORMATS))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        paths = synth_cohort(args.n, args.out, seed=args.seed, samples_dir=args.samples,
                             broken_fraction=args.broken_fraction,
                             formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()))
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"cohort synth: {exc}", file=sys.stderr)
        return 2
    manifest = json.loads((args.out / "MANIFEST.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for cand in manifest["candidates"]:
        counts[cand["format"]] = counts.get(cand["format"], 0) + 1
    broken = sum(1 for c in manifest["candidates"] if c["breakage"])
    transformed = sum(1 for c in manifest["candidates"] if c["transforms"])
    print(f"wrote {len(paths)} submissions to {args.out} in {time.perf_counter() - start:.1f}s "
          f"({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}; {broken} broken, {transformed} transformed; "
          f"seed {args.seed}; see candidates.csv and MANIFEST.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
