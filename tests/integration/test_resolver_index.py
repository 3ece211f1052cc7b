"""uv resolving real requirement sets against the package index (network): the round's date, an old pandas pin's
numpy world, a GPU build left out."""

from __future__ import annotations

import time

import pytest

from grader.run.resolver import GPU_REASON, Resolver
from sandbox.kit import MACHINE, runner_kit, runner_versions


def _run(tmp_path, lines: dict[str, str], as_of: str | None):
    result = Resolver(lines, runner_kit(), machine=MACHINE, as_of=as_of, work=tmp_path / "work",
                      uv_cache=tmp_path / "uv", deadline=time.monotonic() + 600, preferences=runner_versions()).run()
    if result.error and "not reachable" in result.error:
        pytest.skip(f"NO PACKAGE INDEX from this host: {result.error}")
    return result


def test_loose_requirements_resolve_as_of_the_rounds_date(tmp_path):
    result = _run(tmp_path, {"scikit-learn": "scikit-learn>=1.0", "pandas": "pandas"}, "2023-06-01")
    assert result.error is None
    assert result.pins["scikit-learn"] == "1.2.2" and result.pins["pandas"] == "2.0.2"
    assert result.pins["numpy"].startswith("1.")  # the same world: numpy of that date too
    assert "xgboost-cpu" not in result.pins  # not published by then: left to the runner
    assert "as of 2023-06-01" in result.how


def test_an_old_pandas_pin_brings_its_numpy_world(tmp_path):
    result = _run(tmp_path, {"pandas": "pandas==1.5.3"}, None)
    assert result.error is None and result.pins["pandas"] == "1.5.3"
    assert result.pins["numpy"].startswith("1.")
    assert result.constraints and result.constraints[0].startswith("numpy<2")


def test_torch_is_left_out_and_the_rest_of_the_set_kept(tmp_path):
    result = _run(tmp_path, {"torch": "torch", "scikit-learn": "scikit-learn==1.2.2"}, "2023-06-01")
    assert result.error is None and result.dropped == {"torch": GPU_REASON}
    assert result.pins["scikit-learn"] == "1.2.2" and not any(p.startswith("nvidia") for p in result.pins)

