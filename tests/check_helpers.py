"""Small submissions written by tests, as a CheckContext the static checks read (shared by the check tests)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from checks.context import CheckContext, HeldoutTask
from grader.intake.workspace import take_in
from sandbox.base import STATUS_COMPLETED, STATUS_FAILED, RunResult

COLUMNS = ("delivery_id", "distance_km", "weather", "late")


def make(tmp_path: Path, files: dict[str, str | bytes]) -> CheckContext:
    """Write `files` under tmp_path/sub and return their context (python files and notebooks listed)."""
    root = tmp_path / "sub"
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    py = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    nbs = sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb"))
    return CheckContext(root=root, python_files=py, notebooks=nbs, readme=None, run_script=None,
                        requirement_files=[], dataset_columns=COLUMNS, target="late")


# ---------------------------------------------------------------- documented examples (tests/check_examples)

CASE_RUN_FILE = "run.json"  # the sandbox runs a case describes; not part of the submission
CASE_RUN_FILES = "run_files"  # what those runs wrote (output_dir, held-out labels); not part of the submission
RUN_FIELDS = ("run", "submitted_run", "notebook_run", "repeat_run")


def run_result(facts: dict, case: Path) -> RunResult:
    """A RunResult from a case's run.json entry; output_dir is relative to the case's run_files/."""
    facts = dict(facts)
    exit_code = facts.pop("exit_code", 0)
    status = facts.pop("status", STATUS_COMPLETED if exit_code == 0 else STATUS_FAILED)
    if facts.get("output_dir") is not None:
        facts["output_dir"] = case / CASE_RUN_FILES / facts["output_dir"]
    facts["command"] = tuple(facts.get("command", ("bash", "run.sh")))
    return RunResult(**{"backend": "local", "label": "pipeline", "duration_s": 1.0, "status": status,
                        "exit_code": exit_code, **facts})


def load_case(case: Path, workdir: Path) -> CheckContext:
    """The CheckContext of a documented example: the case's files taken in as intake does, its run.json's runs."""
    source = workdir / "source"
    shutil.copytree(case, source, ignore=shutil.ignore_patterns(CASE_RUN_FILE, CASE_RUN_FILES))
    ws = take_in(source, workdir / "intake")
    facts = json.loads((case / CASE_RUN_FILE).read_text()) if (case / CASE_RUN_FILE).is_file() else {}
    runs = {name: run_result(facts[name], case) for name in RUN_FIELDS if facts.get(name) is not None}
    if "run" in runs and "submitted_run" not in facts:
        runs["submitted_run"] = runs["run"]
    heldout = facts.get("heldout")
    if heldout is not None:
        heldout = HeldoutTask(**{**heldout, "labels_path": case / CASE_RUN_FILES / heldout["labels_path"],
                                 "classes": tuple(heldout.get("classes", ()))})
    return CheckContext(
        root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
        run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
        dataset_file=facts.get("dataset_file", "data/deliveries.db"),
        dataset_columns=tuple(facts.get("dataset_columns", COLUMNS)), target=facts.get("target", "late"),
        probe_runs={name: run_result(run, case) for name, run in facts.get("probe_runs", {}).items()},
        environment=facts.get("environment"), heldout=heldout, settings=dict(facts.get("settings", {})), **runs)
