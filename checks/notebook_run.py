"""Annex A1 section 2, read from a run: does the EDA notebook run top to bottom, and are its outputs its own?

The notebook is re-executed in the sandbox (sandbox/notebook.py, sandbox/tools/aie_nbrun.py) with a
fresh kernel; this check reads the result: failing cells, cells past the time limit, stored outputs a
top-to-bottom run does not reproduce, and execution counts that show the cells were run out of order.
"""

from __future__ import annotations

from checks.base import ERROR, NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext
from sandbox.base import STATUS_ERROR, STATUS_OOM, RunResult
from sandbox.notebook import notebook_of, parse_notebook_result, pick_eda_notebook

MAX_LISTED = 10


def _cells(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_LISTED])
    return shown + (f" and {len(numbers) - MAX_LISTED} more" if len(numbers) > MAX_LISTED else "")


def _order_problem(cells: list[dict]) -> str:
    """The first place the stored execution counts go backwards, or a cell with outputs and no count."""
    previous: dict | None = None
    for cell in cells:
        count = cell["stored_count"]
        if count is None:
            if cell["stored_kinds"]:
                return f"cell {cell['cell']} has stored outputs but no execution count"
            continue
        if previous is not None and count <= previous["stored_count"]:
            return (f"cell {cell['cell']} ran as [{count}] after cell {previous['cell']} "
                    f"[{previous['stored_count']}]")
        previous = cell
    return "the stored execution counts are not increasing top to bottom"


class NotebookReexecution(Check):
    code = "NBK001"
    name = "notebook-reexecution"
    lines = ("eda.visualisation", "eda.statistics", "eda.insights")
    kind = "dynamic"
    summary = ("Re-executes the EDA notebook top to bottom in the sandbox with a fresh kernel (a time limit per "
               "cell and in total) and reports the cells that fail, and stored outputs a top-to-bottom run does "
               "not reproduce: stale outputs, execution counts out of order, code cells never run.")
    rationale = ("The EDA lines judge the plots, statistics and findings stored in the notebook; they are the "
                 "candidate's only if the notebook, run as submitted from the first cell to the last, produces "
                 "them. Findings from a notebook that does not run are not reproducible.")
    example = ("eda.ipynb, cell 14: NameError: name 'clean' is not defined (the cell that made `clean` was "
               "deleted after it ran): runs_clean false, 1 failed cell.")

    metrics = {"reexecuted": "the notebook was re-executed to the end in the sandbox",
               "runs_clean": "every code cell ran without error or timeout",
               "failed_cells": "code cells that failed when re-executed (count)",
               "stale_cells": "cells whose stored outputs differ from the re-execution (count)",
               "out_of_order": "the stored execution counts are not increasing top to bottom",
               "timed_out": "the re-execution hit its time limit",
               "code_cells": "code cells in the notebook (count)",
               "unexecuted_cells": "code cells with code but no stored execution count (count)",
               "duration_s": "wall time of the re-execution (seconds)"}

    def run(self, ctx: CheckContext) -> Evidence:
        run = ctx.notebook_run
        if not ctx.notebooks:
            return self.evidence(NOT_APPLICABLE, "no notebook in the submission", metrics={"reexecuted": False})
        if run is None:
            return self.evidence(NOT_APPLICABLE, "the notebook was not re-executed (no sandbox run)",
                                 metrics={"reexecuted": False})
        path = notebook_of(run)
        path = path if path in ctx.notebooks else pick_eda_notebook(ctx.notebooks) or ctx.notebooks[0]
        if run.status == STATUS_ERROR:
            return self.evidence(ERROR, f"the sandbox could not re-execute {path}: {run.error or 'no reason given'}",
                                 metrics={"reexecuted": False}, confidence=0.0)
        result = parse_notebook_result(run)
        if result is None:
            return self._no_result(run, path)
        return self._result(result, path, run)

    def _no_result(self, run: RunResult, path: str) -> Evidence:
        """The run ended without the tool's result line: killed at the limit, out of memory, or broken."""
        metrics: dict[str, float | int | bool | str] = {"reexecuted": False, "timed_out": run.timed_out,
                                                        "duration_s": run.duration_s}
        if run.timed_out:
            outcome = f"was killed at the sandbox time limit of {run.limits.timeout_s:.0f} s"
        elif run.status == STATUS_OOM or run.oom_killed:
            outcome = f"was killed at the {run.limits.memory_mb} MB memory limit"
        else:
            outcome = f"ended (exit code {run.exit_code}) without reporting a result"
        if run.timed_out or run.status == STATUS_OOM or run.oom_killed:
            metrics["runs_clean"] = False  # the notebook's own doing: it did not run to the end
        tail = run.log_tail(15)
        findings = [f"the re-execution of {path} {outcome}"] + ([f"log tail:\n{tail}"] if tail else [])
        return self.evidence(OK, f"{path} was not re-executed to the end: it {outcome}", metrics=metrics,
                             findings=findings, locations=[Location(path, None, "notebook re-execution")])

    def _result(self, result: dict, path: str, run: RunResult) -> Evidence:
        cells = result["cells"]
        failure = _grader_failure(result)
        if failure:
            what = f"{path} could not be re-executed: {failure}"
            return self.evidence(ERROR, what, metrics={"reexecuted": False}, findings=[f"grader failure: {what}"],
                                 confidence=0.0)
        failing = [c for c in cells if c["status"] in ("error", "timeout")]
        runs_clean = (result["kernel_error"] is None and result["code_cells"] > 0 and result["failed"] == 0
                      and not result["timed_out"] and all(c["status"] == "ok" for c in cells))
        return self.evidence(
            OK,
            f"{path} {_outcome(result)}",
            metrics={"reexecuted": True, "runs_clean": runs_clean, "failed_cells": result["failed"],
                     "stale_cells": result["stale_cells"], "out_of_order": result["out_of_order"],
                     "timed_out": result["timed_out"], "code_cells": result["code_cells"],
                     "unexecuted_cells": result["unexecuted_with_code"], "duration_s": run.duration_s},
            findings=_findings(result, path),
            locations=[Location(path, None, f"cell {c['cell']}: {c['error'] or c['status']}"[:200])
                       for c in failing[:MAX_LISTED]],
            data={"notebook": path, "cells": cells, "kernel_error": result["kernel_error"],
                  "seconds": result["seconds"]},
        )


GRADER_LIMITS = ("the notebook is larger than", "the notebook cannot be read")


def _grader_failure(result: dict) -> str | None:
    """Why the grader, not the notebook, stopped the re-execution: a kernel that never started, a size limit."""
    error = str(result["kernel_error"] or "")
    cells = result["cells"]
    if error and cells and all(c["status"] == "not_run" for c in cells) and "respond" in error:
        return f"the kernel did not start ({error})"  # the grader's environment failed, not the notebook
    if not cells and error.startswith(GRADER_LIMITS):
        return f"{error} (the grader's limit, not the notebook's fault)"
    return None


def _outcome(result: dict) -> str:
    cells = result["cells"]
    if result["kernel_error"] and not cells:
        return f"could not be re-executed: {result['kernel_error']}"
    counts = {status: sum(1 for c in cells if c["status"] == status) for status in ("ok", "error", "timeout",
                                                                                   "not_run")}
    parts = [f"{counts['error']} failed" if counts["error"] else "",
             f"{counts['timeout']} timed out" if counts["timeout"] else "",
             f"{counts['not_run']} not run" if counts["not_run"] else ""]
    ran = ", ".join(p for p in [f"{counts['ok']} of {result['code_cells']} code cell(s) ran", *parts] if p)
    order = "; execution counts out of order" if result["out_of_order"] else ""
    return f"re-executed top to bottom in {result['seconds']:.1f} s: {ran}; {result['stale_cells']} stale{order}"


def _findings(result: dict, path: str) -> list[str]:
    """One line per failing cell (`eda.ipynb, cell N: Ename: evalue`), then the facts about the whole run."""
    findings = _failing_cell_findings(result["cells"], path)
    if result["kernel_error"]:
        findings.append(f"{path}: {result['kernel_error']}")
    if result["timed_out"]:
        findings.append(f"{path}: the re-execution ran out of its total time limit")
    return findings + _cell_fact_findings(result, path)


def _failing_cell_findings(cells: list[dict], path: str) -> list[str]:
    """One line per failing cell, at most MAX_LISTED, then how many more failed."""
    failing = [c for c in cells if c["status"] in ("error", "timeout")]
    findings = [f"{path}, cell {c['cell']}: {c['error'] or c['status']}" for c in failing[:MAX_LISTED]]
    if len(failing) > MAX_LISTED:
        findings.append(f"{path}: {len(failing) - MAX_LISTED} more failing cell(s)")
    return findings


def _cell_fact_findings(result: dict, path: str) -> list[str]:
    """Cells not run, stale, out of order or never executed, and whether the cell table was cut."""
    cells = result["cells"]
    not_run = [c["cell"] for c in cells if c["status"] == "not_run"]
    stale = [c["cell"] for c in cells if c["stale"]]
    unexecuted = [c["cell"] for c in cells if c["stored_count"] is None]
    findings = []
    if not_run:
        findings.append(f"{path}: {len(not_run)} code cell(s) not run (cells {_cells(not_run)})")
    if stale:
        findings.append(f"{path}: the stored outputs of {len(stale)} cell(s) differ from a top-to-bottom run "
                        f"(cells {_cells(stale)})")
    if result["out_of_order"]:
        findings.append(f"{path}: executed out of order: {_order_problem(cells)}")
    if unexecuted:
        findings.append(f"{path}: {len(unexecuted)} code cell(s) never executed in the stored notebook "
                        f"(cells {_cells(unexecuted)})")
    if result["cells_truncated"]:
        findings.append(f"{path}: only the first {len(cells)} of {result['code_cells']} code cells are listed")
    return findings
