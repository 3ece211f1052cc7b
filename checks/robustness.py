"""PRB001 robustness probes: how the pipeline behaves on bad input, measured in the sandbox."""

from __future__ import annotations

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.runs import TRACEBACK
from checks.scoring import score_predictions
from checks.vocabulary import CLEAN_ERROR, CUT_SHORT, GOOD, HANDLED, HANG, NOT_RUN, RAW_TRACEBACK, WRONG_OUTPUT
from sandbox.base import STATUS_ERROR, RunResult


def _last_message(run: RunResult) -> str:
    for text in (run.stderr, run.stdout):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if lines:
            return lines[-1][:200]
    return ""


def classify(run: RunResult, expects_output: bool, output_complete: bool | None) -> tuple[str, str]:
    """The outcome class of one probe run and a one-line reason."""
    if run.status == STATUS_ERROR:
        return NOT_RUN, run.error or "the sandbox could not run it"
    if run.timed_out:
        return HANG, f"killed at the probe's {run.limits.timeout_s:.0f} s limit"
    log = run.stdout + "\n" + run.stderr
    if TRACEBACK in log:
        last = next((line for line in reversed(log.strip().splitlines()) if line.strip()
                     and not line.startswith(" ")), "")
        return RAW_TRACEBACK, f"exit {run.exit_code}, traceback ending in: {last.strip()[:160]}"
    message = _last_message(run)
    if run.oom_killed or run.exit_code not in (0, None):
        if message:
            return CLEAN_ERROR, f"exit {run.exit_code}: {message}"
        return WRONG_OUTPUT, f"exit {run.exit_code} with no message at all"
    if expects_output:
        if output_complete:
            return HANDLED, "exit 0 and a complete predictions file"
        return WRONG_OUTPUT, "exit 0 but no complete predictions file"
    if output_complete:
        return WRONG_OUTPUT, "exit 0 and predictions written although there was no training data (toy or stale data?)"
    return WRONG_OUTPUT, f"exit 0 although it could not do its job: the exit code hides it ({message or 'silent'})"


def outcome_counts(table: list[dict], counted: list[dict]) -> dict[str, bool | int]:
    """How many probes ended in each outcome (the rubric reads `good` and the failure counts)."""
    def count(outcome: str) -> int:
        return sum(1 for row in counted if row["outcome"] == outcome)

    good = sum(1 for row in counted if row["outcome"] in GOOD)
    return {"ran": True, "probes": len(counted), "good": good, "handled": count(HANDLED),
            "clean_errors": count(CLEAN_ERROR), "raw_tracebacks": count(RAW_TRACEBACK), "hangs": count(HANG),
            "wrong_output": count(WRONG_OUTPUT), "cut_short": sum(1 for row in table if row["outcome"] == CUT_SHORT),
            "not_good": len(counted) - good}


class RobustnessProbes(Check):
    code = "PRB001"
    name = "robustness-probes"
    lines = ("prog.exception_handling",)
    kind = "dynamic"
    summary = ("Runs the pipeline in the sandbox on bad input: an empty table, text in a numeric column, a missing "
               "database file, and a held-out category never seen in training. Each outcome is classed as handled, "
               "clean error (message and non-zero exit), raw traceback, hang, or wrong/missing output.")
    rationale = ("Exception handling is about what the program does on bad input, not how many `try:` it has: "
                 "SPEC §7 asks for measured graceful failure.")
    example = ("missing_database: raw traceback ending in sqlite3.OperationalError: neither handled nor refused "
               "cleanly.")

    metrics = {"ran": "the probes ran (false: skipped, the other metrics are absent)",
               "probes": "probes judged (count, cut-short and unrun ones excluded)",
               "good": "probes handled or refused cleanly (count)",
               "not_good": "probes neither handled nor refused cleanly (count)",
               "handled": "probes handled, run went on with complete output (count)",
               "clean_errors": "probes ending with a message and a non-zero exit (count)",
               "raw_tracebacks": "probes ending in an uncaught traceback (count)",
               "hangs": "probes killed at their time limit (count)",
               "wrong_output": "probes with wrong or missing output, or a hiding exit 0 (count)",
               "cut_short": "probes the grader's time budget cut before they were judged (count)"}

    def run(self, ctx: CheckContext) -> Evidence:
        if not ctx.probe_runs:
            why = ctx.settings.get("probes_skipped") or "the robustness probes were not run"
            return self.evidence(OK, str(why), metrics={"ran": False}, confidence=1.0)
        table, findings = self._table(ctx)
        counted = [row for row in table if row["outcome"] not in (NOT_RUN, CUT_SHORT)]
        if not counted:
            return self.evidence(NOT_APPLICABLE, "no probe could be run", findings=findings)
        metrics = outcome_counts(table, counted)
        summary = f"{metrics['good']}/{len(counted)} bad inputs handled or refused cleanly: " + ", ".join(
            f"{row['probe']} {row['outcome']}" for row in counted)
        return self.evidence(OK, summary, metrics=metrics, findings=findings, data={"probes": table},
                             locations=[Location(ctx.run_script or "run.sh", None, "robustness probes")])

    def _table(self, ctx: CheckContext) -> tuple[list[dict], list[str]]:
        """One row per probe (the ones the time budget cut before they ran included) and a finding each."""
        expectations: dict = dict(ctx.settings.get("probes", {}) or {})
        cut: dict = dict(ctx.settings.get("probes_cut", {}) or {})
        table, findings = [], []
        for name, (_expects, detail) in expectations.items():
            if name not in ctx.probe_runs and name in cut:
                table.append({"probe": name, "input": detail, "outcome": CUT_SHORT, "reason": cut[name],
                              "exit_code": None, "seconds": 0.0})
                findings.append(f"{name} ({detail}): {CUT_SHORT}: {cut[name]}")
        for name, run in ctx.probe_runs.items():
            expects_output, detail = expectations.get(name, (False, name))
            complete = self._complete(run, ctx)
            outcome, reason = (CUT_SHORT, cut[name]) if name in cut else classify(run, bool(expects_output), complete)
            table.append({"probe": name, "input": detail, "outcome": outcome, "reason": reason,
                          "exit_code": run.exit_code, "seconds": run.duration_s})
            findings.append(f"{name} ({detail}): {outcome}: {reason}")
        return table, findings

    @staticmethod
    def _complete(run: RunResult, ctx: CheckContext) -> bool | None:
        """Did the probe run write a complete predictions file (None when the pack has no contract)?"""
        if run.output_dir is None:
            return False
        if ctx.heldout is None:
            return bool(run.output_files) or None
        result = score_predictions(run.output_dir / ctx.heldout.predictions_path.removeprefix("output/"), ctx.heldout)
        return result.valid and result.coverage >= 0.999
