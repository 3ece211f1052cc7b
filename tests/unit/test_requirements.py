"""The candidate's requirements parsed without running anything, compared with the runner, the cache pruned, ENV003."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checks import CATALOGUE
from checks.base import NOT_APPLICABLE, OK, Evidence
from checks.requirements_install import RequirementsInstall
from grader.rubric import load_rubric, score_line
from grader.run.requirements import (
    PINNED,
    RANGED,
    UNPINNED,
    RequirementSet,
    _conda_version,
    _poetry_spec,
    describe,
    parse_requirements,
    prepare_layer,
    runner_versions,
)
from tests.requirements_helpers import context, write

RUNNER = {"pandas": "3.1.1", "numpy": "2.4.6", "scikit-learn": "1.9.1", "pyyaml": "6.0.4", "xgboost-cpu": "3.2.0",
          "matplotlib": "3.11.2"}


def by_name(reqs: RequirementSet) -> dict[str, object]:
    return {r.name: r for r in reqs.requirements}


def refused_at(reqs: RequirementSet) -> dict[str, str]:
    return {r.location: r.reason for r in reqs.refused}


# --------------------------------------------------------------------------- parsing
def test_requirements_txt_pins_ranges_markers_comments_and_include(tmp_path):
    root = write(tmp_path / "sub", {
        "requirements.txt": (
            "# the pipeline\n"
            "pandas==2.2.2   # pinned\n"
            "numpy>=1.26,<3\n"
            "scikit-learn\n"
            "\n"
            'PyYAML==6.0.1 ; python_version >= "3.8"\n'
            'pywin32==306; sys_platform == "win32"\n'
            "six==1.16.0 \\\n"
            "    --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254\n"
            "-r reqs/notebook.txt\n"),
        "reqs/notebook.txt": "seaborn==0.13.2\n",
    })
    reqs = parse_requirements(root, ["requirements.txt"])
    found = by_name(reqs)
    assert set(found) == {"pandas", "numpy", "scikit-learn", "PyYAML", "pywin32", "six", "seaborn"}
    assert found["pandas"].location == "requirements.txt:2" and found["pandas"].pinning == PINNED
    assert found["numpy"].pinning == RANGED and found["scikit-learn"].pinning == UNPINNED
    assert found["PyYAML"].key == "pyyaml" and found["PyYAML"].applies
    assert not found["pywin32"].applies  # a Windows-only pin is not for the Linux runner
    assert found["six"].location == "requirements.txt:8" and found["six"].specifier == "==1.16.0"
    assert found["seaborn"].location == "reqs/notebook.txt:1" and found["seaborn"].group == "requirements.txt"
    assert reqs.refused == [] and reqs.findings == []
    assert len(reqs.active) == 6


def test_lines_that_would_make_pip_fetch_or_run_other_code_are_refused_with_file_line(tmp_path):
    root = write(tmp_path / "sub", {"requirements.txt": (
        "pandas==2.2.2\n"
        "git+https://github.com/someone/pkg.git@v1#egg=pkg\n"
        "-e .\n"
        "--index-url https://packages.example.org/simple\n"
        "--extra-index-url=https://packages.example.org/simple\n"
        "-f ./wheels\n"
        "--trusted-host packages.example.org\n"
        "evil @ https://packages.example.org/evil-1.0-py3-none-any.whl\n"
        "./vendor/mylib\n"
        "--pre\n"
        "--no-binary :all:\n"
        "-r ../../etc/passwd\n"
        "numpy==1.26.4 --install-option=--prefix=/tmp\n")})
    reqs = parse_requirements(root, ["requirements.txt"])
    refused = refused_at(reqs)
    assert set(refused) == {f"requirements.txt:{n}" for n in range(2, 14)}
    assert "outside the package index" in refused["requirements.txt:2"]
    assert "editable" in refused["requirements.txt:3"]
    assert "changes where pip looks" in refused["requirements.txt:4"]
    assert "changes where pip looks" in refused["requirements.txt:6"]
    assert "outside the submission" in refused["requirements.txt:12"]
    assert [r.name for r in reqs.requirements] == ["pandas"]
    assert all("://" not in r.pip_line() for r in reqs.requirements)


def test_includes_stay_inside_the_submission_and_cycles_stop(tmp_path):
    root = write(tmp_path / "sub", {
        "requirements.txt": "-r base.txt\n-r missing.txt\n",
        "base.txt": "numpy==2.4.6\n-r requirements.txt\n",
    })
    (tmp_path / "outside.txt").write_text("evil==1.0\n")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")
    (root / "requirements.txt").write_text("-r base.txt\n-r missing.txt\n-r link.txt\n")
    reqs = parse_requirements(root, ["requirements.txt"])
    assert [r.name for r in reqs.requirements] == ["numpy"]
    text = "\n".join(reqs.findings)
    assert "base.txt:2: `requirements.txt` is already read" in text
    assert "requirements.txt:2: included file `missing.txt` is not in the submission" in text
    assert "link.txt: not a regular file inside the submission" in text


def test_environment_yml_conda_specs_and_pip_section(tmp_path):
    root = write(tmp_path / "sub", {"environment.yml": (
        "name: delivery\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - pandas=2.2.2\n"
        "  - numpy>=1.26\n"
        "  - conda-forge::scikit-learn=1.5.1=py311h123_0\n"
        "  - py-xgboost=2.1.1\n"
        "  - pytorch\n"
        "  - libgcc-ng=13.2.0\n"
        "  - matplotlib 3.9.*\n"
        "  - pip\n"
        "  - pip:\n"
        "    - PyYAML==6.0.1\n"
        "    - --index-url https://packages.example.org/simple\n")})
    reqs = parse_requirements(root, ["environment.yml"])
    found = {r.key: r for r in reqs.requirements}
    assert set(found) == {"pandas", "numpy", "scikit-learn", "xgboost-cpu", "torch", "matplotlib", "pyyaml"}
    assert found["pandas"].specifier == "==2.2.2" and found["pandas"].location == "environment.yml:6"
    assert found["numpy"].specifier == ">=1.26" and found["numpy"].pinning == RANGED
    assert found["scikit-learn"].specifier == "==1.5.1" and found["scikit-learn"].location == "environment.yml:8"
    assert found["xgboost-cpu"].name == "xgboost" and found["xgboost-cpu"].specifier == "==2.1.1"
    assert found["torch"].pinning == UNPINNED
    assert found["matplotlib"].specifier == "==3.9.*" and found["matplotlib"].pinning == RANGED
    assert found["pyyaml"].location == "environment.yml:15"
    assert list(refused_at(reqs)) == ["environment.yml:16"]
    assert any("libgcc-ng" in f for f in reqs.findings)  # C libraries are not Python distributions
    assert reqs.primary == "environment.yml"


def test_pyproject_project_and_poetry_dependencies(tmp_path):
    root = write(tmp_path / "sub", {"pyproject.toml": (
        "[project]\n"
        'name = "pipeline"\n'
        "dependencies = [\n"
        '  "pandas==2.2.2",\n'
        '  "numpy>=1.26",\n'
        "]\n"
        "\n"
        "[tool.poetry.dependencies]\n"
        'python = "^3.11"\n'
        'scikit-learn = "^1.5.1"\n'
        'pyyaml = "~6.0"\n'
        'matplotlib = "3.9.0"\n'
        'seaborn = "*"\n'
        'mylib = { git = "https://github.com/someone/mylib.git" }\n'
        'xgboost = { version = "^2.1", markers = "sys_platform == \'linux\'" }\n')})
    reqs = parse_requirements(root, ["pyproject.toml"])
    found = {r.key: r for r in reqs.requirements}
    assert found["pandas"].location == "pyproject.toml:4" and found["pandas"].pinning == PINNED
    assert found["numpy"].location == "pyproject.toml:5"
    assert found["scikit-learn"].specifier == "<2,>=1.5.1" and found["scikit-learn"].location == "pyproject.toml:10"
    assert found["pyyaml"].specifier == "<6.1,>=6.0"
    assert found["matplotlib"].specifier == "==3.9.0" and found["seaborn"].pinning == UNPINNED
    assert found["xgboost-cpu"].applies and found["xgboost-cpu"].specifier == "<3,>=2.1"
    assert "python" not in found and "mylib" not in found
    assert list(refused_at(reqs)) == ["pyproject.toml:14"]


@pytest.mark.parametrize(("poetry", "pep440"), [
    ("^1.2.3", "<2,>=1.2.3"), ("^0.2.3", "<0.3,>=0.2.3"), ("^0.0.3", "<0.0.4,>=0.0.3"), ("^0", "<1,>=0"),
    ("~1.2.3", "<1.3,>=1.2.3"), ("~1", "<2,>=1"), ("1.2.3", "==1.2.3"), ("1.2.*", "==1.2.*"), ("*", ""),
    (">=1.2,<2", "<2,>=1.2"), ("^1 || ^2", None),
])
def test_poetry_constraints_translate_to_pep440(poetry, pep440):
    assert _poetry_spec(poetry) == pep440


@pytest.mark.parametrize(("conda", "pep440"), [
    ("=2.2.2", "==2.2.2"), ("=1.26", "==1.26.*"), ("==1.5.1", "==1.5.1"), ("=1.5.1=py311h_0", "==1.5.1"),
    (">=2", ">=2"), ("1.26.*", "==1.26.*"), ("", ""), ("1.2|1.4", None),
])
def test_conda_versions_translate_to_pep440(conda, pep440):
    assert _conda_version(conda) == pep440


def test_bad_encodings_and_invalid_lines_are_findings_naming_file_line(tmp_path):
    root = write(tmp_path / "sub", {
        "requirements.txt": b"pandas==2.2.2\nnumpy==1.26.4 # caf\xe9\nscikit-learn==1.5.1\nthis is not !! valid\n",
        "environment.yml": "dependencies:\n  - pandas=2.2.2\n  - [unclosed\n",
        "pyproject.toml": "[project\ndependencies = 1\n",
    })
    reqs = parse_requirements(root, ["requirements.txt", "environment.yml", "pyproject.toml"])
    assert [r.name for r in reqs.requirements] == ["pandas", "scikit-learn"]
    text = "\n".join(reqs.findings)
    assert "requirements.txt:2: not UTF-8" in text
    assert "requirements.txt:4: not a valid requirement" in text
    assert "environment.yml:4: not valid YAML" in text or "environment.yml:3: not valid YAML" in text
    assert "pyproject.toml: not valid TOML" in text


def test_utf16_requirements_from_windows_are_read(tmp_path):
    root = write(tmp_path / "sub", {"requirements.txt": "pandas==2.2.2\r\nnumpy==1.26.4\r\n".encode("utf-16")})
    reqs = parse_requirements(root, ["requirements.txt"])
    assert [(r.name, r.location) for r in reqs.requirements] == [("pandas", "requirements.txt:1"),
                                                               ("numpy", "requirements.txt:2")]


def test_requirements_txt_is_the_file_installed_when_there_are_several(tmp_path):
    root = write(tmp_path / "sub", {"environment.yml": "dependencies:\n  - pandas=2.1.0\n",
                                    "requirements.txt": "pandas==2.2.2\n"})
    reqs = parse_requirements(root, ["environment.yml", "requirements.txt"])
    assert reqs.primary == "requirements.txt"
    assert [r.location for r in reqs.active] == ["requirements.txt:1"]
    reqs.compare(RUNNER)
    assert by_name(reqs)["pandas"].action  # both described
    assert [r.action for r in reqs.requirements if r.file == "environment.yml"] == [
        "not installed: requirements.txt is the file installed"]


# --------------------------------------------------------------------------- the runner image
def test_runner_satisfaction(tmp_path):
    root = write(tmp_path / "sub", {"requirements.txt": (
        "pandas==3.1.1\n"       # the runner's own pin
        "numpy==1.26.4\n"       # a different pin
        "scikit-learn>=1.5\n"   # a range the runner meets
        "matplotlib<3.10\n"     # a range it does not
        "pyyaml\n"              # unpinned
        "xgboost==3.2.0\n"      # the runner has it as xgboost-cpu
        "six==1.16.0\n"         # not in the runner at all
        "sklearn\n")})          # the import name, read as scikit-learn
    reqs = parse_requirements(root, ["requirements.txt"])
    reqs.compare(RUNNER)
    actions = [(r.name, r.runner_satisfies, r.action) for r in reqs.requirements]
    assert actions == [
        ("pandas", True, "runner satisfies"), ("numpy", False, "runner has 2.4.6"),
        ("scikit-learn", True, "runner satisfies"), ("matplotlib", False, "runner has 3.11.2"),
        ("pyyaml", True, "runner satisfies"), ("xgboost", True, "runner satisfies"),
        ("six", False, "missing from the runner image"), ("sklearn", True, "runner satisfies"),
    ]
    assert any("`sklearn` is not an installable package name" in f for f in reqs.findings)
    counts = reqs.counts()
    assert counts["missing_from_runner"] == 1 and counts["unpinned"] == 2 and counts["pinned"] == 4


def test_runner_versions_come_from_the_runner_pins():
    runner = runner_versions()
    pins = [line.split("==") for line in (Path(__file__).resolve().parents[2] / "sandbox" / "runner-requirements.txt")
            .read_text().splitlines() if "==" in line and not line.startswith("#")]
    for name, version in pins:
        assert runner[name.lower().replace("_", "-")] == version.strip()


def test_nothing_to_install_means_no_layer_and_no_pip(tmp_path):
    root = write(tmp_path / "sub", {"requirements.txt": "pandas==3.1.1\nnumpy\n"})
    layer = prepare_layer(parse_requirements(root, ["requirements.txt"]), tmp_path / "cache", log=lambda _m: None,
                          runner=RUNNER)
    assert layer.path is None and layer.pip_runs == 0 and layer.fallbacks == []
    assert not (tmp_path / "cache").exists()
    assert [r["action"] for r in layer.to_dict()["requirements"]] == ["runner satisfies", "runner satisfies"]


# --------------------------------------------------------------------------- ENV003


def test_env003_refused_and_unpinned_lines_and_install_off(tmp_path):
    root = write(tmp_path / "sub", {"requirements.txt": "numpy\n-e .\nsix==1.16.0\n"})
    report = describe(parse_requirements(root, ["requirements.txt"]), runner=RUNNER)
    evidence = RequirementsInstall()(context(root, report))
    assert evidence.status == OK and evidence.metrics["install_on"] is False
    assert (evidence.metrics["refused"], evidence.metrics["unpinned"], evidence.metrics["missing_from_runner"]) == (
        1, 1, 1)
    text = "\n".join(evidence.findings)
    assert "requirements.txt:2: refused `-e .`" in text
    assert "requirements.txt:1: `numpy` is unpinned (the runner's 2.4.6 is used)" in text
    assert "requirements.txt:3: `six==1.16.0` is not in the runner image" in text


def test_env003_not_applicable_when_installing_was_off(tmp_path):
    evidence = RequirementsInstall()(context(tmp_path, None))
    assert evidence.status == NOT_APPLICABLE and evidence.metrics["install_on"] is False


def test_env003_is_evidence_for_the_environment_line_without_changing_its_levels():
    rubric = load_rubric(known_codes={c.code for c in CATALOGUE})
    line = next(ln for ln in rubric.lines if ln.id == "pipeline.environment")
    assert "ENV003" in line.checks
    base = {"ENV001": {"has_requirements": True, "pinned_share": 1.0}, "PIP001": {"modules": 3, "configurable": True},
            "ENV004": {"exact_share": 1.0, "versioned_share": 1.0, "full_freeze": False, "gitignore": True,
                       "documented_tree": True},
            "ENV002": {"uncovered": 0}, "RUL003": {"artifacts": 0}}
    evidence = {code: Evidence(code, code, (), OK, "", metrics=m) for code, m in base.items()}
    without = score_line(line, evidence, 1.0)
    for metrics in ({"fallbacks": 6, "refused": 3, "installed": 0}, {"fallbacks": 0, "refused": 0, "installed": 5}):
        evidence["ENV003"] = Evidence("ENV003", "env003", (), OK, "", metrics=metrics)
        assert score_line(line, evidence, 1.0).level == without.level == 3


def test_prune_cache_removes_least_recently_used_layers_and_keeps_recent_ones(tmp_path):
    import time

    from grader.run.requirements import prune_cache

    cache = tmp_path / "requirements"
    now = time.time()
    for key, age_h in (("old", 48), ("middle", 24), ("fresh", 0.1)):
        (cache / "layers" / key).mkdir(parents=True)
        (cache / "layers" / key / "lib.so").write_bytes(b"x" * 1_000_000)
        (cache / "wheels" / key).mkdir(parents=True)
        (cache / "wheels" / key / "pkg.whl").write_bytes(b"w" * 500_000)
        info = cache / "layers" / f"{key}.json"
        info.write_text("{}")
        os.utime(info, (now - age_h * 3600, now - age_h * 3600))
    (cache / "wheels" / "orphan").mkdir()  # wheels of a layer that never got built
    (cache / "wheels" / "orphan" / "x.whl").write_bytes(b"o" * 100_000)
    os.utime(cache / "wheels" / "orphan", (now - 72 * 3600, now - 72 * 3600))

    removed, freed = prune_cache(cache, max_bytes=2_000_000)
    assert removed == 3 and freed >= 3_100_000  # the orphan, old, middle: down to the fresh layer
    assert sorted(p.name for p in (cache / "layers").iterdir()) == ["fresh", "fresh.json"]
    assert sorted(p.name for p in (cache / "wheels").iterdir()) == ["fresh"]
    assert prune_cache(cache, max_bytes=0) == (0, 0)  # used in the last hour: kept even over the limit
