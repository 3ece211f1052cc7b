"""The probes cost about one more run, not one per probe: fail-fast ones get a short limit, all share a deadline."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from checks import CATALOGUE
from checks.base import OK, Evidence
from checks.context import CheckContext
from checks.robustness import RobustnessProbes
from checks.vocabulary import CUT_SHORT, HANDLED
from grader.packs.probes import PROBES
from grader.rubric import load_rubric, score_line
from grader.run.dynamic import PROBE_FLOOR_S, ProbeBudget
from sandbox.base import STATUS_COMPLETED, STATUS_TIMEOUT, Limits, RunResult

FAST = next(p for p in PROBES if not p.expects_output)
FULL = next(p for p in PROBES if p.expects_output)


def test_a_slow_pipelines_probes_cost_about_one_more_run(mock_pack):
    pack = replace(mock_pack, limits=Limits(timeout_s=1200))
    budget = ProbeBudget.for_run(pack, 259.0)
    assert budget.limit(FAST) == pytest.approx(0.2 * 259, abs=1)
    assert budget.limit(FULL) == pytest.approx(1.25 * 259 + 15, abs=1)
    # two jobs: the fail-fast pair, then the full pair: at most fast + full (+ slack) of wall time
    assert budget.total_s <= 1.5 * 259 + 60
    assert budget.total_s < 874 / 2  # the probes of the real 259 s pipeline used to cost 874 s


def test_a_quick_pipeline_keeps_the_minimum_limits(mock_pack):
    budget = ProbeBudget.for_run(mock_pack, 3.0)
    assert budget.limit(FAST) == pytest.approx(20.0, abs=0.5) and budget.limit(FULL) == pytest.approx(60.0, abs=0.5)


def test_the_shared_deadline_shortens_what_is_left(mock_pack):
    budget = ProbeBudget.for_run(mock_pack, 100.0)
    budget.deadline = time.monotonic() + 10
    assert budget.limit(FULL) <= 10
    budget.deadline = time.monotonic() + PROBE_FLOOR_S / 2
    assert budget.limit(FULL) < PROBE_FLOOR_S  # not started at all


def _run(status: str, timeout_s: float, **kw) -> RunResult:
    return RunResult(backend="local", label="probe", command=("bash", "run.sh"), status=status, exit_code=kw.pop(
        "exit_code", 0), duration_s=1.0, limits=Limits(timeout_s=timeout_s), **kw)


def test_a_probe_cut_short_by_the_budget_is_not_judged_and_the_report_says_so(tmp_path):
    ctx = CheckContext(root=tmp_path, python_files=[], notebooks=[], readme=None, run_script="run.sh",
                       requirement_files=[])
    ctx.settings.update({"probes": {p.name: (p.expects_output, p.description) for p in PROBES},
                         "probes_cut": {FULL.name: "cut short at 339 s by the probes' time budget: not judged"}})
    ctx.probe_runs = {p.name: _run(STATUS_COMPLETED, 60, stdout="ok") for p in PROBES}
    ctx.probe_runs[FULL.name] = _run(STATUS_TIMEOUT, 339, exit_code=None, timed_out=True)
    evidence = RobustnessProbes()(ctx)
    rows = {row["probe"]: row for row in evidence.data["probes"]}
    assert rows[FULL.name]["outcome"] == CUT_SHORT and "time budget" in rows[FULL.name]["reason"]
    assert evidence.metrics["cut_short"] == 1 and evidence.metrics["probes"] == 3
    assert any(CUT_SHORT in f for f in evidence.findings)
    assert rows[FULL.name]["outcome"] != HANDLED


def test_three_good_probes_and_one_cut_short_can_still_reach_level_3():
    line = load_rubric(known_codes={c.code for c in CATALOGUE}).line("prog.exception_handling")
    static = Evidence("PRG004", "x", (), OK, "", metrics={"specific_handlers": 0, "raises_with_message": 0,
                                                           "swallowing_handlers": 0})

    def probes(**metrics):
        return Evidence("PRB001", "x", (), OK, "", metrics={"ran": True, **metrics})

    assert score_line(line, {"PRG004": static, "PRB001": probes(good=3, not_good=0, cut_short=1)}, 1.0).level == 3
    assert score_line(line, {"PRG004": static, "PRB001": probes(good=3, not_good=1, cut_short=0)}, 1.0).level == 2


def test_bad_data_probes_cut_short_leave_the_level_to_the_code_reading():
    line = load_rubric().line("prog.exception_handling")
    probes = Evidence("PRB001", "", (), OK, "", metrics={"ran": True, "probes": 2, "good": 0, "handled": 0,
                                                         "clean_errors": 0, "raw_tracebacks": 2, "cut_short": 2,
                                                         "not_good": 2, "wrong_output": 0})
    checked = Evidence("PRG004", "", (), OK, "", metrics={"specific_handlers": 1, "raises_with_message": 11,
                                                          "swallowing_handlers": 0})
    assert score_line(line, {"PRB001": probes, "PRG004": checked}, 1.0).level == 2
    bare = Evidence("PRG004", "", (), OK, "", metrics={"specific_handlers": 0, "raises_with_message": 0,
                                                       "swallowing_handlers": 0})
    assert score_line(line, {"PRB001": probes, "PRG004": bare}, 1.0).level == 0  # nothing caught, nothing checked
