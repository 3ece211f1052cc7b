"""RUN001, Annex A1 section 5: the submitted run (and the assisted re-run) in the sandbox, and its outcome."""

from __future__ import annotations

from checks.base import NOT_APPLICABLE, OK, Check, Location
from checks.context import CheckContext
from checks.runs import TRACEBACK, run_outcome
from checks.trace import TOY, run_data_use


class PipelineRun(Check):
    code = "RUN001"
    name = "pipeline-run"
    lines = ("pipeline.design",)
    kind = "dynamic"
    summary = ("Runs `bash run.sh` in the sandbox on the grader's data and records the outcome: exit status, "
               "time, timeout, memory kill, and an uncaught traceback in the log.")
    rationale = ("Pipeline design asks for a functional pipeline that runs successfully end to end; a run that "
                 "crashes, hangs or exits 0 after an uncaught traceback is not one.")
    example = ("exit 1 after 'ValueError: could not convert string to float: 2.9kg': succeeded false, the log's tail "
               "in the findings.")

    metrics = {"ran": "the pipeline was run in the sandbox",
               "succeeded": "the submitted run.sh ran end to end (exit 0, no traceback, real data)",
               "evidence_succeeded": "the run the other lines are judged on (the assisted re-run if any) succeeded",
               "assisted": "the evidence comes from an assisted re-run, not the submitted run",
               "status": "the sandbox's run status (text: completed, failed, timeout, oom, error)",
               "exit_code": "exit code of run.sh (-1 when none)",
               "duration_s": "wall time of the run (seconds)",
               "traceback": "the log holds an uncaught traceback",
               "output_refused": "output files refused when copied out of the sandbox (count)",
               "toy_data": "the run trained/evaluated only on a toy frame, not the provided data"}

    def run(self, ctx: CheckContext):
        run = ctx.submitted_run or ctx.run
        if run is None:
            return self.evidence(NOT_APPLICABLE, "the pipeline was not run",
                                 metrics={"ran": False, "succeeded": False, "evidence_succeeded": False})
        succeeded, outcome = run_outcome(run, ctx.dataset_file)
        evidence_run = ctx.run if ctx.run is not None else run
        assisted = evidence_run is not run
        evidence_succeeded = run_outcome(evidence_run, ctx.dataset_file)[0] if assisted else succeeded
        toy = [r for r in {id(run): run, id(evidence_run): evidence_run}.values()
               if run_data_use(r, ctx.dataset_file).verdict == TOY]
        tail = run.log_tail(15)
        findings = [f"log tail:\n{tail}"] if tail and not succeeded else []
        findings += [f"output copy-out: {finding}" for finding in run.output_findings]
        summary = f"`{' '.join(run.command)}` {outcome} in {run.duration_s:.1f} s ({run.backend})"
        if assisted:
            summary += (f"; the assisted re-run {'ran end to end' if evidence_succeeded else 'failed too'}: "
                        "the other lines are judged on its evidence")
        log = run.stdout + "\n" + run.stderr
        return self.evidence(
            OK, summary,
            metrics={"ran": True, "succeeded": succeeded, "evidence_succeeded": evidence_succeeded,
                     "assisted": assisted, "status": run.status,
                     "exit_code": run.exit_code if run.exit_code is not None else -1,
                     "duration_s": run.duration_s, "traceback": TRACEBACK in log,
                     "output_refused": len(run.output_findings), "toy_data": bool(toy)},
            findings=findings,
            locations=[Location(ctx.run_script or "run.sh", None, " ".join(run.command))],
        )
