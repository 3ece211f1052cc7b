"""The requirements layer built for real (uv and the package index on the host): wheels, relaxed pins, the cache,
ENV003 on a built layer, and the layer shadowing the runner inside the Docker sandbox."""

from __future__ import annotations

import os
import stat

import pytest

from checks.base import OK
from checks.requirements_install import RequirementsInstall
from grader.run.requirements import parse_requirements, prepare_layer, runner_versions
from sandbox.base import STATUS_COMPLETED, Limits, RunSpec
from tests.requirements_helpers import context, write


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """six and tomli installed, pandas==0.25.3 (no wheel for Python 3.11) fallen back: cold then warm."""
    root = write(tmp_path_factory.mktemp("sub"), {"requirements.txt": "pandas==0.25.3\nsix==1.16.0\ntomli==2.0.1\n"})
    cache = tmp_path_factory.mktemp("cache")
    cold = prepare_layer(parse_requirements(root, ["requirements.txt"]), cache, log=lambda _m: None)
    if cold.error and "not reachable" in cold.error:
        pytest.skip(f"NO PACKAGE INDEX from this host: {cold.error}")
    warm = prepare_layer(parse_requirements(root, ["requirements.txt"]), cache, log=lambda _m: None)
    return cold, warm, cache


def test_layer_holds_the_wheels_the_runner_lacks(built):
    cold, _warm, _cache = built
    assert cold.error is None
    assert cold.path is not None and cold.path.is_dir()
    assert (cold.path / "six.py").is_file() and (cold.path / "tomli" / "__init__.py").is_file()
    assert cold.packages["six"] == "1.16.0" and cold.packages["tomli"] == "2.0.1"
    runner = runner_versions()
    assert all(runner.get(name) != version for name, version in cold.packages.items())  # only what differs
    assert cold.resolved["numpy"] == runner["numpy"]  # the runner's versions are preferred where they fit
    assert cold.size_bytes > 0 and cold.download_s > 0 and cold.install_s > 0 and not cold.cached
    for dirpath, dirnames, filenames in os.walk(cold.path):  # the container's uid 1000 reads it
        for name in dirnames + filenames:
            mode = os.stat(os.path.join(dirpath, name)).st_mode
            assert mode & stat.S_IROTH, os.path.join(dirpath, name)
    assert os.stat(cold.path).st_mode & stat.S_IXOTH


def test_an_unresolvable_old_pin_is_relaxed_as_a_set_with_the_resolvers_reason(built):
    cold, _warm, _cache = built
    [fallback] = cold.fallbacks
    assert fallback.requirement.name == "pandas" and fallback.requirement.location == "requirements.txt:1"
    assert "pandas==0.25.3 has no usable wheels" in fallback.reason
    assert fallback.outcome == f"relaxed with the rest of the set: resolved to {cold.resolved['pandas']}"
    actions = {r["name"]: r["action"] for r in cold.to_dict()["requirements"]}
    assert actions["pandas"].startswith("relaxed with the rest of the set")
    assert actions["six"] == "installed 1.16.0" and actions["tomli"] == "installed 2.0.1"
    assert "pandas==0.25.3 -> pandas" in cold.how


def test_second_preparation_is_a_cache_hit_without_uv(built):
    cold, warm, cache = built
    assert warm.cached and warm.pip_runs == 0 and warm.download_s == 0 and warm.install_s == 0
    assert warm.path == cold.path and warm.key == cold.key
    assert warm.packages == cold.packages and [f.reason for f in warm.fallbacks] == [f.reason for f in cold.fallbacks]
    assert warm.resolved == cold.resolved and warm.how == cold.how
    assert list((cache / "work").iterdir()) == []


def test_a_layer_another_grading_built_is_reused_not_rebuilt(built, tmp_path):
    """Two gradings with the same requirements: the second finds the first's layer and keeps it as it is."""
    cold, _warm, cache = built
    (cache / "layers" / f"{cold.key}.json").unlink()  # as if the other grading had not written its record yet
    inode = os.stat(cold.path).st_ino
    root = write(tmp_path / "sub", {"requirements.txt": "pandas==0.25.3\nsix==1.16.0\ntomli==2.0.1\n"})
    again = prepare_layer(parse_requirements(root, ["requirements.txt"]), cache, log=lambda _m: None)
    assert again.error is None and again.path == cold.path and os.stat(again.path).st_ino == inode
    assert again.packages == cold.packages and again.size_bytes == cold.size_bytes


def test_a_pin_of_a_version_that_never_existed_is_relaxed_and_the_rest_kept(tmp_path):
    root = write(tmp_path / "sub", {"requirements.txt": "scikit-learn==0.0.1\nsix==1.16.0\n"})
    layer = prepare_layer(parse_requirements(root, ["requirements.txt"]), tmp_path / "cache", log=lambda _m: None)
    if layer.error and "not reachable" in layer.error:
        pytest.skip(f"NO PACKAGE INDEX from this host: {layer.error}")
    by_name = {f.requirement.name: f for f in layer.fallbacks}
    assert set(by_name) == {"scikit-learn"} and by_name["scikit-learn"].outcome.startswith("relaxed")
    assert "scikit-learn==0.0.1" in by_name["scikit-learn"].reason
    assert layer.packages.get("six") == "1.16.0" and layer.path is not None
    assert "scikit-learn" not in layer.packages  # relaxed to what the runner already has
    again = prepare_layer(parse_requirements(root, ["requirements.txt"]), tmp_path / "cache", log=lambda _m: None)
    assert again.pip_runs == 0 and [f.reason for f in again.fallbacks] == [f.reason for f in layer.fallbacks]


def test_env003_reports_installs_fallbacks_and_unpinned(built, tmp_path):
    cold, _warm, _cache = built
    evidence = RequirementsInstall()(context(tmp_path, cold.to_dict()))
    assert evidence.status == OK
    assert evidence.metrics["install_on"] is True
    assert (evidence.metrics["installed"], evidence.metrics["fallbacks"], evidence.metrics["refused"]) == (2, 1, 0)
    assert evidence.metrics["missing_from_runner"] == 2 and evidence.metrics["unpinned"] == 0
    assert evidence.findings[0].startswith("pandas==0.25.3 (requirements.txt:1) could not be resolved for CPython 3.11")
    assert "relaxed with the rest of the set: resolved to" in evidence.findings[0]
    assert str(evidence.locations[0]) == "requirements.txt:1"


@pytest.mark.docker
def test_the_layer_shadows_the_runner_inside_the_container(tmp_path, docker_sandbox, mock_pack):
    sub = write(tmp_path / "sub", {
        "requirements.txt": "six==1.16.0\npyflakes==3.0.1\n",
        "run.sh": 'python -c "import six, sys; print(six.__version__, six.__file__)"\npyflakes --version\n',
    })
    layer = prepare_layer(parse_requirements(sub, ["requirements.txt"]), tmp_path / "cache", log=lambda _m: None)
    if layer.error and "not reachable" in layer.error:
        pytest.skip(f"NO PACKAGE INDEX from this host: {layer.error}")
    assert layer.path is not None
    data = mock_pack.stage_data(tmp_path / "data")
    result = docker_sandbox.run(RunSpec(sub, data, limits=Limits(timeout_s=120), env_layer=layer.path),
                                tmp_path / "art")
    assert result.status == STATUS_COMPLETED, result.stderr
    six_line, flakes = result.stdout.splitlines()[:2]
    assert six_line.split() == ["1.16.0", "/opt/aie-env/six.py"]
    assert flakes.startswith("3.0.1")  # the layer's console scripts are on PATH and run the sandbox's python

