"""The rubric is data: every Annex A1 line is there, and the level rules behave."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checks import CATALOGUE, declared_metrics
from checks.base import ERROR, NOT_APPLICABLE, OK, Evidence
from grader.rubric import INTERVIEW, NOT_ASSESSED, SCORED, LineScore, RubricError, load_rubric, score, score_line
from grader.rubric.confidence import review_out_of_profile

ANNEX_A1_LINES = {
    "prog.readability", "prog.reusability", "prog.self_explanatory", "prog.exception_handling",
    "eda.visualisation", "eda.statistics", "eda.insights",
    "prep.preprocessing", "prep.feature_engineering", "prep.split",
    "model.scoping", "model.training", "model.metrics", "model.tuning",
    "pipeline.design", "pipeline.environment",
    "comm.eda", "comm.data_prep", "comm.model_design", "comm.pipeline",
}
CODES = {c.code for c in CATALOGUE}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(known_codes=CODES)


def ev(code: str, status: str = OK, **metrics) -> Evidence:
    return Evidence(code=code, name=code.lower(), lines=(), status=status, summary="", metrics=metrics)


def test_every_annex_line_is_in_the_rubric(rubric):
    assert {line.id for line in rubric.lines} == ANNEX_A1_LINES
    for line in rubric.lines:
        assert line.descriptors, line.id
        if line.section == "comm":
            assert not line.auto
        else:
            assert line.auto and line.rules and set(line.checks) <= CODES


def test_every_check_feeds_a_line(rubric):
    fed = {code for line in rubric.lines for code in line.checks}
    assert fed == CODES


def test_highest_holding_level_wins(rubric):
    line = rubric.line("prog.readability")
    organised = ev("PRG002", function_share=0.95, max_complexity=6, functions=20, measured_files=5)
    crafted = ev("PRG005", uses_logging=True, typed_share=0.9, constants=4, notebook_markers=0, commented_code=0,
                 plot_calls=0)
    modules = ev("PIP001", unused_modules=0, modules=5)
    found = {"PRG001": ev("PRG001", score=9.1), "PRG002": organised, "PRG005": crafted, "PIP001": modules}
    assert score_line(line, found, 1.0).level == 3
    # without logging or typed functions it is competent, not strong (guide: every one of the 2->3 marks)
    found["PRG005"] = replace(crafted, metrics={**crafted.metrics, "uses_logging": False})
    assert score_line(line, found, 1.0).level == 2
    # a notebook exported as a script (cell markers) is developing, whatever else it has
    found["PRG005"] = replace(crafted, metrics={**crafted.metrics, "notebook_markers": 4})
    assert score_line(line, found, 1.0).level == 1


def test_a_flat_script_with_a_good_pylint_score_is_not_strong(rubric):
    line = rubric.line("prog.readability")
    flat = ev("PRG002", function_share=0.1, max_complexity=2, functions=0, measured_files=1)
    crafted = ev("PRG005", uses_logging=False, typed_share=0.0, constants=0, notebook_markers=0, commented_code=0,
                 plot_calls=0)
    assert score_line(line, {"PRG001": ev("PRG001", score=9.6), "PRG002": flat, "PRG005": crafted}, 1.0).level == 1


def test_failed_check_means_not_assessed_not_a_made_up_level(rubric):
    failed = {"PRG001": ev("PRG001", status=ERROR), "PRG002": ev("PRG002", status=ERROR)}
    result = score_line(rubric.line("prog.readability"), failed, 1.0)
    assert result.status == NOT_ASSESSED and result.level is None


def test_not_applicable_means_not_evident(rubric):
    result = score_line(rubric.line("eda.visualisation"), {"EDA001": ev("EDA001", status=NOT_APPLICABLE)}, 1.0)
    assert result.status == SCORED and result.level == 0


def test_failed_run_caps_pipeline_design(rubric):
    evidence = {
        "RUN001": ev("RUN001", succeeded=False),
        "PIP001": ev("PIP001", modules=6, configurable=True, run_script=True),
        "DOC001": ev("DOC001", sections=10, has_run_instructions=True),
        "RUL001": ev("RUL001", violations=0),
        "RUL002": ev("RUL002", violations=0),
    }
    assert score_line(rubric.line("pipeline.design"), evidence, 1.0).level == 1
    evidence["RUN001"] = ev("RUN001", succeeded=True)
    assert score_line(rubric.line("pipeline.design"), evidence, 1.0).level == 3


def test_cap_lowers_a_level_and_says_why(rubric):
    line = rubric.line("pipeline.design")
    lenient = replace(line, rules={3: line.rules[1]})
    evidence = {"RUN001": ev("RUN001", succeeded=False), "PIP001": ev("PIP001", run_script=True, modules=3)}
    result = score_line(lenient, evidence, 1.0)
    assert result.level == 1
    assert result.reason.startswith("capped at 1: the pipeline does not run end to end")


def test_interview_lines_are_never_scored(rubric):
    result = score(rubric, {})
    comm = [r for r in result.lines if r.section == "comm"]
    assert len(comm) == 4 and all(r.status == INTERVIEW and r.level is None for r in comm)
    assert result.max_points == 16 * 3
    assert result.provisional  # no evidence at all: every line not assessed


def test_pass_rule_from_the_pack(rubric):
    perfect = {
        "PRG001": ev("PRG001", score=10.0),
        "PRG002": ev("PRG002", measured_files=1, functions=1, function_share=0.2),
        "RUN001": ev("RUN001", succeeded=False),
    }
    result = score(rubric, perfect, {"min_total_pct": 1, "min_levels": {"pipeline.design": 1}})
    assert not result.passed  # pipeline.design is 0 (no PIP001 evidence): the per-line minimum fails
    result = score(rubric, perfect, {"min_total_pct": 1})
    assert result.passed


def test_malformed_rubric_names_file_and_entry(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[section]]\nid = "prog"\nnumber = 1\ntitle = "P"\n'
                   '[[line]]\nid = "prog.x"\ntitle = "X"\nchecks = ["PRG001"]\nlevel_1 = ["PRG001.score >> 3"]\n')
    with pytest.raises(RubricError, match=r"bad.toml: line prog.x: cannot read condition"):
        load_rubric(bad)
    bad.write_text('[[section]]\nid = "prog"\nnumber = 1\ntitle = "P"\n'
                   '[[line]]\nid = "prog.x"\ntitle = "X"\nchecks = ["ZZZ999"]\nlevel_1 = ["ZZZ999.a >= 1"]\n')
    with pytest.raises(RubricError, match="unknown check ZZZ999"):
        load_rubric(bad, known_codes=CODES)


def test_a_misspelt_metric_fails_with_file_line_and_metric(tmp_path):
    bad = tmp_path / "typo.toml"
    bad.write_text('[[section]]\nid = "prog"\nnumber = 1\ntitle = "P"\n'
                   '[[line]]\nid = "prog.x"\ntitle = "X"\nchecks = ["PRG002"]\n'
                   'level_2 = ["PRG002.functions >= 3"]\n'
                   'level_1 = ["PRG002.functions >= 1 or PRG002.function_shar >= 0.8"]\n')
    load_rubric(bad, known_codes=CODES)  # codes only: the typo goes unnoticed
    with pytest.raises(RubricError) as error:
        load_rubric(bad, known_codes=CODES, known_metrics=declared_metrics())
    message = str(error.value)
    assert message.startswith("typo.toml:10: line prog.x: PRG002.function_shar is not a metric of PRG002")
    assert "function_share" in message.split("it declares:")[1]


def test_a_misspelt_metric_in_a_cap_names_the_caps_line(tmp_path):
    bad = tmp_path / "cap.toml"
    bad.write_text('[[section]]\nid = "prog"\nnumber = 1\ntitle = "P"\n'
                   '[[line]]\nid = "prog.x"\ntitle = "X"\nchecks = ["PRG001"]\nlevel_1 = ["PRG001.score >= 3"]\n'
                   'caps = [\n  { when = "RUN001.succeeded == false", max = 1 },\n'
                   '  { when = "RUN001.sucess == false", max = 1 },\n]\n')
    with pytest.raises(RubricError, match=r"^cap\.toml:12: line prog\.x: RUN001\.sucess is not a metric of RUN001"):
        load_rubric(bad, known_metrics=declared_metrics())


def test_a_family_metric_is_accepted_by_pattern(tmp_path):
    ok = tmp_path / "family.toml"
    ok.write_text('[[section]]\nid = "model"\nnumber = 1\ntitle = "M"\n'
                  '[[line]]\nid = "model.x"\ntitle = "X"\nchecks = ["HLD001", "HLD002"]\n'
                  'level_1 = ["HLD001.recall_late >= 0.5 or HLD002.reported_macro_f1 >= 0.5"]\n')
    rule = load_rubric(ok, known_metrics=declared_metrics()).line("model.x").rules[1]
    assert str(rule) == "HLD001.recall_late >= 0.5 or HLD002.reported_macro_f1 >= 0.5"


def test_the_shipped_rubric_names_only_declared_metrics():
    rubric = load_rubric(known_codes=CODES, known_metrics=declared_metrics())
    assert {line.id for line in rubric.lines} == ANNEX_A1_LINES


def test_a_level_at_a_boundary_is_named_but_keeps_the_lines_confidence(rubric):
    line = rubric.line("prog.reusability")
    clear = {"PRG002": ev("PRG002", function_share=1.0, duplicate_share=0.0, functions=40),
             "PIP001": ev("PIP001", configurable=True)}
    result = score_line(line, clear, 1.0)
    assert result.level == 3 and not result.needs_review and result.confidence == line.confidence
    assert "near a boundary" not in result.reason
    # one condition short of level 3 (a count just under its threshold): said, but measured not to predict errors
    near = {"PRG002": ev("PRG002", function_share=1.0, duplicate_share=0.0, functions=14),
            "PIP001": ev("PIP001", configurable=True)}
    result = score_line(line, near, 1.0)
    assert result.level == 2 and not result.needs_review and result.confidence == line.confidence
    assert "; near a boundary: one condition short of level 3" in result.reason


def _line_score(line_id: str, level: int | None, status: str = SCORED) -> LineScore:
    return LineScore(line_id, line_id.split(".")[0], line_id, status, level, 0.8, False, f"level {level}", [], 1.0)


def test_a_line_out_of_the_submissions_profile_is_halved_and_flagged():
    levels = {"a.1": 2, "a.2": 2, "a.3": 2, "a.4": 2, "a.5": 3, "a.6": 1, "a.7": 3, "a.8": 0}
    results = [_line_score(k, v) for k, v in levels.items()]
    results.append(_line_score("a.9", None, INTERVIEW))
    reviewed = {r.id: r for r in review_out_of_profile(results, SCORED)}
    # the mean of the other seven lines: 13/7 = 1.86 for a 2 (in profile), 12/7 = 1.71 for a 3, 15/7 = 2.14 for the 0
    assert [k for k, r in reviewed.items() if r.needs_review] == ["a.5", "a.6", "a.7", "a.8"]
    assert reviewed["a.8"].confidence == 0.4
    assert "out of profile: level 0 against a mean of 2.1" in reviewed["a.8"].reason
    assert reviewed["a.1"].confidence == 0.8 and reviewed["a.1"].reason == "level 2"
    assert reviewed["a.9"] == results[-1]  # an interview line is not part of the profile


def test_too_few_scored_lines_make_no_profile():
    results = [_line_score("a.1", 0), _line_score("a.2", 3), _line_score("a.3", 3)]
    assert review_out_of_profile(results, SCORED) == results


def test_a_cap_with_several_conditions_needs_them_all(rubric):
    line = rubric.line("prep.feature_engineering")
    found = {"FEA001": ev("FEA001", derived_features=4, transform_kinds=3, measured_gain=True),
             "LNK001": ev("LNK001", columns_linked=5, decisions_mapped=3),
             "DYN001": ev("DYN001", engineered_in_final=0, trace_verified=True),
             "MOD002": ev("MOD002", fitted_pipeline=True)}
    assert score_line(line, found, 1.0).level == 3  # features built inside a Pipeline: the tracer cannot see them
    found["MOD002"] = ev("MOD002", fitted_pipeline=False)
    assert score_line(line, found, 1.0).level == 1
