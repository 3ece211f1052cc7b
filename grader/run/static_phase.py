"""The static phase, host side: the static checks run in a sandbox run, never in the grader's process.

pylint/astroid load native files named like standard-library modules from the linted folder, and any
parser is attack surface, so the grader hands the sandbox a copy of only the files the static checks
read, a read-only copy of its own `checks` code and the context, and takes back one size-capped JSON
file that it validates (checks/static_phase.py). A phase that cannot run makes every static check an
ERROR: its lines are not assessed, never scored 0.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from checks.base import ERROR, Evidence
from checks.context import CheckContext
from checks.static_phase import STATIC_CHECKS, InvalidResult, context_to_json, evidence_from_json
from sandbox.base import Limits, RunResult, RunSpec, Sandbox
from sandbox.image import PROJECT_ROOT

TOOL = "{tools}/aie_static.py"
RESULT = "output/static.json"
TEXT_SUFFIXES = (".py", ".ipynb", ".md", ".txt", ".rst", ".sh", ".yaml", ".yml", ".json", ".toml", ".cfg", ".ini")
GRADER_PACKAGES = ("checks", "sandbox")
STATIC_LIMITS = Limits(timeout_s=600, memory_mb=3072, cpus=1.0, pids=128, tmp_mb=256, workspace_mb=256,
                       output_mb=20, output_copy_mb=20, log_bytes=64 * 1024)


@dataclass
class StaticPhase:
    """The static evidence and the sandbox run that produced it (None when no run was possible)."""

    evidence: list[Evidence]
    run: RunResult | None = None
    notes: list[str] = field(default_factory=list)


def copy_for_static(root: Path, all_files: list[str], dest: Path) -> int:
    """Copy the text files the static checks read (code, notebooks, docs, configs) to dest; returns bytes.

    Whole files, whatever their size (intake already capped the submission): a check that meets a file
    over its own cap must see the real file to say so."""
    total = 0
    for rel in all_files:
        parts = PurePosixPath(rel).parts
        if not parts:
            continue
        if parts[-1] != ".gitignore" and (parts[0] in ("data", "output") or not rel.lower().endswith(TEXT_SUFFIXES)):
            continue
        source = root / rel
        if source.is_symlink() or not source.is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest / rel, follow_symlinks=False)
        total += source.stat().st_size
    if (root / "run.sh").is_file() and not (root / "run.sh").is_symlink() and not (dest / "run.sh").exists():
        shutil.copyfile(root / "run.sh", dest / "run.sh")
    return total


def grader_code(dest: Path) -> None:
    """A copy of the grader's own packages the in-sandbox tool imports (read-only in the sandbox)."""
    for package in GRADER_PACKAGES:
        target = dest / package
        target.mkdir(parents=True)
        for path in (PROJECT_ROOT / package).iterdir():
            if path.is_file() and (path.suffix == ".py" or path.name == "pylintrc"):
                shutil.copyfile(path, target / path.name)


def run_static_phase(ctx: CheckContext, sandbox: Sandbox, scratch: Path) -> StaticPhase:
    """Run every static check in the sandbox on a copy of ctx's files; validated evidence or ERRORs."""
    base = scratch / "static"
    submission, data, artifacts = base / "submission", base / "data", base / "artifacts"
    for folder in (submission, data, artifacts):
        folder.mkdir(parents=True)
    size = copy_for_static(ctx.root, ctx.all_files, submission)
    grader_code(data / "grader")
    (data / "context.json").write_text(context_to_json(ctx), encoding="utf-8")
    limits = Limits(**{**STATIC_LIMITS.__dict__, "workspace_mb": max(256, 2 * size // 1_000_000 + 128)})
    spec = RunSpec(submission_dir=submission, data_dir=data, label="static analysis", limits=limits,
                   command=("python", "-I", TOOL, "data/grader", "data/context.json", RESULT))
    run = sandbox.run(spec, artifacts)
    problem = _problem(run)
    if problem is None:
        try:
            raw = (run.output_dir / "static.json").read_bytes()
            return StaticPhase(evidence_from_json(raw), run)
        except (OSError, InvalidResult) as exc:
            problem = f"its result was refused: {exc}"
    return StaticPhase(failed_static_evidence(problem), run, [f"static analysis in the sandbox failed: {problem}"])


def _problem(run: RunResult) -> str | None:
    if run.error:
        return f"the sandbox could not run it ({run.error})"
    if run.timed_out:
        return f"it did not finish within {run.limits.timeout_s:.0f} s"
    if run.oom_killed:
        return f"it ran out of its {run.limits.memory_mb} MB of memory"
    if not run.succeeded:
        return f"it exited {run.exit_code}: {run.log_tail(5)}"[:600]
    if run.output_dir is None or "static.json" not in run.output_files:
        return "it wrote no result" + (f" ({'; '.join(run.output_findings)})" if run.output_findings else "")
    return None


def failed_static_evidence(problem: str) -> list[Evidence]:
    """Every static check as an ERROR: the grader could not measure, so its lines are not assessed."""
    return [Evidence(code=c.code, name=c.name, lines=c.lines, status=ERROR, confidence=0.0,
                     summary=f"not measured: the grader's static analysis could not run ({problem})"[:600],
                     findings=[f"grader-side failure, not the candidate's: {problem}"[:2000]])
            for c in STATIC_CHECKS]
