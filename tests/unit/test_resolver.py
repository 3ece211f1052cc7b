"""One consistent environment from a requirement set (grader/run/resolver.py): the rules (uv against the index:
tests/integration/test_resolver_index.py)."""

from __future__ import annotations

import time

from grader.run.resolver import (
    GPU_REASON,
    Resolver,
    _Compiled,
    _roots,
    parse_compiled,
    uv_error,
)
from sandbox.kit import MACHINE

COMPILED = """\
filelock==3.12.0
    # via torch
numpy==1.24.3
    # via
    #   -r requirements.in
    #   pandas
nvidia-cublas-cu12==12.1.3.1
    # via torch
pandas==1.5.3
    # via -r requirements.in
torch==2.0.1
    # via -r requirements.in
"""


def resolver(tmp_path, lines: dict[str, str], **kwargs) -> Resolver:
    return Resolver(lines, kwargs.pop("kit", {}), machine=MACHINE, as_of=kwargs.pop("as_of", None),
                    work=tmp_path / "work", uv_cache=tmp_path / "uv", deadline=time.monotonic() + 600, **kwargs)


def test_compiled_output_gives_versions_and_what_pulled_each():
    pins, parents = parse_compiled(COMPILED)
    assert pins == {"filelock": "3.12.0", "numpy": "1.24.3", "nvidia-cublas-cu12": "12.1.3.1", "pandas": "1.5.3",
                    "torch": "2.0.1"}
    assert parents["numpy"] == {"-r", "pandas"} and parents["nvidia-cublas-cu12"] == {"torch"}


def test_a_gpu_build_is_left_out_and_only_what_pulls_it(tmp_path):
    pins, parents = parse_compiled(COMPILED)
    assert _roots(["nvidia-cublas-cu12"], parents, {"torch", "pandas"}) == ["torch"]
    res = resolver(tmp_path, {"torch": "torch", "pandas": "pandas==1.5.3"})
    assert res._gpu_dropped(_Compiled(True, pins, parents, ""))
    assert res.lines == {"pandas": "pandas==1.5.3"} and res.result.dropped == {"torch": GPU_REASON}


def test_packages_built_against_numpy_1_never_meet_numpy_2(tmp_path):
    res = resolver(tmp_path, {"pandas": "pandas==1.5.3"})
    old = _Compiled(True, {"pandas": "1.5.3", "numpy": "2.4.6"}, {}, "")
    assert res._numpy1_guarded(old)
    assert res.result.constraints == ["numpy<2 # pandas 1.5.3 built against numpy 1 crash under numpy 2"]
    assert not res._numpy1_guarded(old)  # once
    fine = resolver(tmp_path, {"pandas": "pandas==2.2.3"})
    assert not fine._numpy1_guarded(_Compiled(True, {"pandas": "2.2.3", "numpy": "2.1.0"}, {}, ""))
    assert not fine._numpy1_guarded(_Compiled(True, {"pandas": "1.5.3", "numpy": "1.26.4"}, {}, ""))


def test_pins_named_by_the_resolver_relax_one_step_at_a_time_as_a_set(tmp_path):
    res = resolver(tmp_path, {"pandas": "pandas==1.3.0", "numpy": "numpy==1.21.0", "six": "six==1.16.0"})
    error = ("Because pandas==1.3.0 has no usable wheels and numpy==1.21.0 has no usable wheels and you require "
             "pandas==1.3.0, we can conclude that your requirements are unsatisfiable.")
    assert res._give_way(error)
    assert res.lines == {"pandas": "pandas==1.3.*", "numpy": "numpy==1.21.*", "six": "six==1.16.0"}
    assert res._give_way(error) and res.lines["pandas"] == "pandas>=1.3,<2"
    assert res._give_way(error) and res.lines["pandas"] == "pandas"
    assert res._give_way(error) and "pandas" not in res.lines and "pandas" in res.result.dropped
    assert set(res.result.relaxed) == {"pandas", "numpy"} and res.lines["six"] == "six==1.16.0"


def test_the_kit_gives_way_before_the_candidates_pins(tmp_path):
    res = resolver(tmp_path, {"numpy": "numpy==1.23.5"}, kit={"xgboost-cpu": "3.2.0", "pandas": "3.1.1"})
    error = "Because there are no versions of xgboost-cpu and you require xgboost-cpu, we can conclude ..."
    assert res._kit_gives_way(error) and res.kit_out == {"xgboost-cpu"}
    assert not res._kit_gives_way("Because numpy==1.23.5 has no usable wheels")
    assert res.lines["numpy"] == "numpy==1.23.5"


def test_uv_errors_read_as_one_line():
    stderr = ("  × No solution found when resolving dependencies:\n"
              "error: No solution found when resolving dependencies\n"
              "  cause: Because pandas==1.3.0 has no usable wheels and you require pandas==1.3.0, we can conclude "
              "that your requirements are unsatisfiable.\n\nhint: Wheels are required for `pandas`\n")
    assert uv_error(stderr).startswith("Because pandas==1.3.0 has no usable wheels")
    assert "hint" not in uv_error(stderr)
