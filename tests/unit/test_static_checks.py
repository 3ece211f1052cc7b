"""Static checks on small submissions the tests make: bad inputs become findings, not crashes."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from checks import CATALOGUE
from checks.base import ERROR, NOT_APPLICABLE, OK
from checks.context import CheckContext
from checks.eda import RenderedPlots
from checks.metrics import EvaluationMetrics
from checks.modelling import ModelsCompared
from checks.programming import CodeStructure, ExceptionHandling, PylintScore, SelfExplanatory
from grader.intake.workspace import take_in
from tests.check_helpers import COLUMNS, make
from tests.conftest import SAMPLES


def context_for(sample: str, tmp_path: Path) -> CheckContext:
    ws = take_in(SAMPLES / sample, tmp_path / sample)
    return CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
                        run_script=ws.run_script, requirement_files=ws.requirement_files,
                        dataset_columns=COLUMNS, target="late")


def test_non_utf8_and_python2_sources_are_findings(tmp_path):
    ctx = make(tmp_path, {
        "src/latin.py": "x = 'caf\xe9'\n".encode("latin-1"),
        "src/old.py": 'print "hello"\n',
        "src/ok.py": "def f():\n    return 1\n",
    })
    for check in (PylintScore(), CodeStructure(), SelfExplanatory(), ExceptionHandling()):
        evidence = check(ctx)
        assert evidence.status == OK, (check.code, evidence.summary)
        text = " ".join(evidence.findings)
        assert "src/latin.py: not UTF-8" in text
        assert "src/old.py:1: syntax error (Python 2 syntax?)" in text


def test_every_check_survives_an_empty_submission(tmp_path):
    ctx = make(tmp_path, {"notes.txt": "nothing here"})
    for check_class in CATALOGUE:
        evidence = check_class()(ctx)
        assert evidence.status in (OK, NOT_APPLICABLE), (check_class.code, evidence.summary)


def test_broken_notebooks_are_named(tmp_path):
    lfs = make(tmp_path / "a", {"eda.ipynb": "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"})
    assert "Git LFS pointer" in RenderedPlots()(lfs).summary
    empty = make(tmp_path / "b", {"eda.ipynb": json.dumps(nbformat.v4.new_notebook())})
    assert "eda.ipynb: the notebook is empty" in RenderedPlots()(empty).summary
    garbage = make(tmp_path / "c", {"eda.ipynb": "{not json"})
    evidence = RenderedPlots()(garbage)
    assert evidence.status == NOT_APPLICABLE and "eda.ipynb: not a readable notebook" in evidence.summary


def test_a_plot_counts_only_when_rendered(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("sns.boxplot(data=df, x='weather', y='distance_km')")]
    unrendered = make(tmp_path / "a", {"eda.ipynb": nbformat.writes(nb)})
    assert RenderedPlots()(unrendered).metrics["plots"] == 0
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    rendered = make(tmp_path / "b", {"eda.ipynb": nbformat.writes(nb)})
    metrics = RenderedPlots()(rendered).metrics
    assert metrics["plots"] == 1 and metrics["relationship_plots"] == 1


def test_imports_alone_are_not_models_or_metrics(tmp_path):
    ctx = make(tmp_path, {"src/m.py": "from sklearn.ensemble import RandomForestClassifier\n"
                                      "from sklearn.metrics import f1_score\n"})
    assert ModelsCompared()(ctx).metrics["models"] == 0
    assert EvaluationMetrics()(ctx).metrics["metric_kinds"] == 0


def test_models_kept_in_a_registry_count(tmp_path):
    ctx = make(tmp_path, {"src/train.py": (
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "MODELS = {'lr': LogisticRegression, 'rf': RandomForestClassifier}\n"
        "def build(name, params):\n    return MODELS[name](**params)\n")})
    assert ModelsCompared()(ctx).metrics["models"] == 2


def test_copied_docstrings_do_not_count(tmp_path):
    body = "".join(f"def step_{i}(df):\n    \"\"\"Clean the data frame for the model.\"\"\"\n    return df\n\n"
                   for i in range(4))
    evidence = SelfExplanatory()(make(tmp_path, {"src/p.py": body}))
    assert evidence.metrics["doc_share"] == 0.25
    assert any("copies of another function's docstring" in f for f in evidence.findings)


def test_swallowed_errors_are_not_exception_handling(tmp_path):
    ctx = make(tmp_path, {"src/p.py": "try:\n    x = int('a')\nexcept:\n    pass\n"})
    metrics = ExceptionHandling()(ctx).metrics
    assert metrics["swallowing_handlers"] == 1 and metrics["specific_handlers"] == 0


def test_samples_rank_as_intended_on_static_evidence(tmp_path):
    strong, weak = context_for("strong", tmp_path), context_for("weak", tmp_path)
    assert CodeStructure()(strong).metrics["function_share"] > 0.9 > CodeStructure()(weak).metrics["function_share"]
    assert RenderedPlots()(strong).metrics["plots"] > RenderedPlots()(weak).metrics["plots"]
    weak_reqs = next(c for c in CATALOGUE if c.code == "ENV001")()(weak)
    assert weak_reqs.metrics["pinned_share"] == 0.0
    assert any("sklearn" in f for f in weak_reqs.findings)
    pylint_strong, pylint_weak = PylintScore()(strong), PylintScore()(weak)
    assert pylint_strong.status == OK and pylint_weak.status == OK
    assert pylint_strong.metrics["score"] > pylint_weak.metrics["score"]
    assert ERROR not in (pylint_strong.status, pylint_weak.status)


@pytest.mark.parametrize("text, bullet, found", [
    ("Only 11% of rows subscribe, so the classes are skewed towards no.", "imbalance", True),
    ("About 15.5% of the sessions end in a purchase: 15.5% positives.", "imbalance", True),
    ("The model is judged on RMSE and MAE, since errors are in degrees.", "metric_choice", True),
    ("Macro F1 weighs the three activity levels equally.", "metric_choice", True),
    ("The pipeline runs in 20% of the time limit.", "imbalance", False),
])
def test_readme_scoping_bullets_read_any_round_not_one_class_balance(text, bullet, found):
    import re

    from checks.readme import SCOPING_PATTERNS

    assert bool(re.search(SCOPING_PATTERNS[bullet], text, re.IGNORECASE)) is found


def test_every_check_code_has_a_documented_prefix_and_a_unique_code():
    from checks import CATALOGUE, PREFIXES

    codes = [check.code for check in CATALOGUE]
    assert len(codes) == len(set(codes))
    assert {code[:3] for code in codes} == set(PREFIXES)
    assert all(len(code) == 6 and code[3:].isdigit() for code in codes)


def _prefixes_by_module() -> dict[str, set[str]]:
    """Each module of checks/ that defines a Check -> the code prefixes of the checks it defines."""
    import importlib
    import inspect
    import pkgutil

    import checks
    from checks.base import Check

    found: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"checks.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Check) and cls is not Check and cls.__module__ == module.__name__:
                found.setdefault(module.__name__, set()).add(cls.code[:3])
    return found


def test_each_prefix_owns_its_modules_and_each_check_module_holds_one_prefix():
    from checks import CATALOGUE, PREFIX_MODULES, PREFIXES

    assert set(PREFIX_MODULES) == set(PREFIXES)
    owned = [module for modules in PREFIX_MODULES.values() for module in modules]
    assert len(owned) == len(set(owned)), "a module is owned by one prefix"
    misplaced = [f"{c.code} in {c.__module__}" for c in CATALOGUE if c.__module__ not in PREFIX_MODULES[c.code[:3]]]
    assert misplaced == []
    by_module = _prefixes_by_module()
    assert {module: prefixes for module, prefixes in by_module.items() if len(prefixes) > 1} == {}
    assert set(by_module) == set(owned), "every check module is in the table, every module in it defines a check"
