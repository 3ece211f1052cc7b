"""The obfuscation attacks keep programs valid and equivalent; the synthetic cohort is varied and deterministic."""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import os
import random
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from devtools.synth.cohort import FORMATS, base_samples, plan_cohort, synth_cohort
from devtools.synth.transforms import (
    ATTACKS,
    apply_attack,
    change_comments_and_literals,
    count_statements,
    insert_dead_code,
    notebook_to_script,
    rename_identifiers,
    reorder_functions,
    script_to_notebook,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_submissions"
BASES = ("strong", "average", "weak", "broken", "leaky", "plagiarised", "cd_src", "abs_path")

PROGRAM = textwrap.dedent('''
    """A small module exercising scopes, keywords, closures, classes and f-strings."""
    import math
    from collections import Counter

    LIMIT = 3


    class Box:
        """Holds a value."""

        size = 2

        def __init__(self, value, scale=1):
            self.value = value * scale

        def grow(self, by=1):
            total = self.value + by
            return Box(total)


    def helper(values, power=2, *, offset=0):
        # squares plus an offset
        return [v ** power + offset for v in values]


    def counter(words):
        seen = Counter(words)
        return sorted(seen.items())


    def make_adder(step):
        def add(x):
            return x + step
        return add


    def main():
        data = helper([1, 2, 3], power=3, offset=LIMIT)
        box = Box(4, scale=2).grow(by=5)
        adder = make_adder(10)
        try:
            math.sqrt(-1)
        except ValueError as err:
            message = f"error was {type(err).__name__}"
        print(f"data={data} box={box.value} add={adder(1)} {message}", {"key": LIMIT})
        print(counter(["a", "b", "a"]), sorted(dict(alpha=1, beta=2)))
        return data


    if __name__ == "__main__":
        main()
''')


def run_source(source: str) -> str:
    """stdout of the module run as a script."""
    proc = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=30, check=True)
    return proc.stdout


def user_functions(source: str) -> set[str]:
    return {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


# ----------------------------------------------------------------------------------------------- source transforms

def test_rename_keeps_behaviour_and_renames_user_names():
    new = rename_identifiers(PROGRAM, random.Random(1))
    assert run_source(new) == run_source(PROGRAM)
    assert not user_functions(PROGRAM) & user_functions(new)  # helper, counter, make_adder, main all renamed
    for kept in ("math", "Counter", "self", "grow", "value", "size", "print", "sorted", "__init__", "__name__"):
        assert kept in new, kept  # imports, methods, attributes, class attributes, builtins, dunders
    assert "alpha=1" in new  # keyword of an outside function (dict)
    assert "LIMIT" not in new and "power=" not in new  # module constant and a user function's keyword renamed
    assert new.count("\n") == PROGRAM.count("\n")  # positional rewrite: formatting kept


def test_rename_respects_protected_names():
    new = rename_identifiers(PROGRAM, random.Random(2), protected=frozenset({"helper", "LIMIT"}))
    assert "def helper(" in new and "LIMIT = 3" in new
    assert "def counter(" not in new
    assert run_source(new) == run_source(PROGRAM)


def test_reorder_shuffles_blocks_and_keeps_behaviour():
    orders = set()
    for seed in range(6):
        new = reorder_functions(PROGRAM, random.Random(seed))
        assert run_source(new) == run_source(PROGRAM)
        assert user_functions(new) == user_functions(PROGRAM)
        assert new.splitlines()[1] == PROGRAM.splitlines()[1]  # the docstring and imports stay first
        orders.add(tuple(n.name for n in ast.parse(new).body if isinstance(n, ast.FunctionDef | ast.ClassDef)))
    assert len(orders) > 1


def test_reorder_keeps_definition_time_dependencies():
    source = textwrap.dedent('''
        class Base:
            pass


        def deco(fn):
            return fn


        class Child(Base):
            pass


        @deco
        def used():
            return Child()


        def free():
            return 1
    ''')
    for seed in range(10):
        new = reorder_functions(source, random.Random(seed))
        order = [n.name for n in ast.parse(new).body]
        assert order.index("Base") < order.index("Child") and order.index("deco") < order.index("used")
        exec(compile(new, "m", "exec"), {})


def test_comments_and_literals_change_messages_only():
    new = change_comments_and_literals(PROGRAM, random.Random(3))
    assert new != PROGRAM
    compile(new, "m", "exec")

    def data_strings(source: str) -> list[str]:
        """String constants used as data: dict keys, subscripts, call arguments other than print's."""
        found = []
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Dict):
                found += [k.value for k in node.keys if isinstance(k, ast.Constant)]
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                found.append(node.slice.value)
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("print", "info", "warning", "error", "debug", "exception") or \
                        name.endswith(("Error", "Exception", "Warning")):
                    continue  # messages
                found += [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                found += [k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)]
        return found

    sample = (SAMPLES / "strong" / "src" / "data_loader.py").read_text()
    changed = change_comments_and_literals(sample, random.Random(4))
    assert changed != sample
    assert data_strings(changed) == data_strings(sample)
    assert "not located" in changed or "records" in changed or "Load " in changed  # messages reworded


@pytest.mark.parametrize("rate", [0.25, 1.0, 2.0])
def test_dead_code_rate_and_behaviour(rate):
    new = insert_dead_code(PROGRAM, random.Random(5), rate)
    assert run_source(new) == run_source(PROGRAM)
    before, after = count_statements(PROGRAM), count_statements(new)
    assert abs((after - before) / before - rate) <= 0.05
    total_before = total_after = 0
    for path in sorted((SAMPLES / "strong" / "src").glob("*.py")):
        text = path.read_text()
        total_before += count_statements(text)
        total_after += count_statements(insert_dead_code(text, random.Random(6), rate))
    assert abs((total_after - total_before) / total_before - rate) <= 0.05


def test_notebook_round_trip_preserves_code():
    nbformat = pytest.importorskip("nbformat")
    for path in [SAMPLES / "strong" / "src" / "main.py", SAMPLES / "weak" / "src" / "model.py"]:
        source = path.read_text()
        notebook = script_to_notebook(source, path_hint=str(path.name))
        nbformat.validate(nbformat.reads(notebook, as_version=4))
        cells = [c for c in json.loads(notebook)["cells"] if c["cell_type"] == "code"]
        assert len(cells) > 2
        back = notebook_to_script(notebook)
        assert ast.dump(ast.parse(back)) == ast.dump(ast.parse(source))
        assert back.count("# %%") == len(cells)


def test_notebook_to_script_drops_magics():
    notebook = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["%matplotlib inline\n", "import pandas as pd\n", "!pip install x\n", "files = !ls\n", "pd?"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
         "source": "%%bash\necho hi"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 3,
         "source": "%%time\nfor i in range(2):\n    %time print(i)\n"},
    ]})
    script = notebook_to_script(notebook)
    compile(script, "nb", "exec")
    assert "import pandas as pd" in script and "%" not in script.replace("# %%", "") and "echo" not in script


# ----------------------------------------------------------------------------------------------- whole submissions

@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_attack_on_every_sample_compiles(attack, tmp_path):
    for name in BASES:
        dest = apply_attack(SAMPLES / name, tmp_path / name, attack, random.Random(8))
        assert not (dest / "EXPECTED.toml").exists()
        for path in dest.rglob("*.py"):
            original = SAMPLES / name / path.relative_to(dest)
            try:
                compile(path.read_bytes(), str(path), "exec")
            except SyntaxError:
                assert original.is_file() and original.read_bytes() == path.read_bytes()  # unparseable: copied
        for path in dest.rglob("*.ipynb"):
            compile(notebook_to_script(path.read_text()), str(path), "exec")


def test_rename_is_consistent_across_modules(tmp_path):
    dest = apply_attack(SAMPLES / "strong", tmp_path / "strong", "rename", random.Random(9))
    defined: dict[str, set[str]] = {}
    for path in sorted((dest / "src").glob("*.py")):
        tree = ast.parse(path.read_text())
        defined[f"src.{path.stem}"] = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        defined[f"src.{path.stem}"] |= {t.id for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)
                                        for t in ast.walk(n) if isinstance(t, ast.Name)}
    imports = 0
    for path in sorted((dest / "src").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("src."):
                for alias in node.names:
                    assert alias.name in defined[node.module], (path.name, node.module, alias.name)
                    imports += 1
    assert imports > 10
    original = set()
    for path in (SAMPLES / "strong" / "src").glob("*.py"):
        original |= user_functions(path.read_text())
    renamed = set()
    for path in (dest / "src").glob("*.py"):
        renamed |= user_functions(path.read_text())
    assert len(original & renamed) <= len(original) // 4  # most top-level functions renamed (a few are protected)


def test_script_to_notebook_attack_layout(tmp_path):
    dest = apply_attack(SAMPLES / "average", tmp_path / "average", "script_to_notebook", random.Random(10))
    assert (dest / "pipeline.ipynb").is_file() and not (dest / "src" / "main.py").exists()
    assert "pipeline.ipynb" in (dest / "run.sh").read_text()
    code = notebook_to_script((dest / "pipeline.ipynb").read_text())
    assert ast.dump(ast.parse(code)) == ast.dump(ast.parse((SAMPLES / "average" / "src" / "main.py").read_text()))


# ----------------------------------------------------------------------------------------------- cohort

def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cohort")
    paths = synth_cohort(16, out, seed=4)
    assert len(paths) == 16
    return out


def test_cohort_layout_and_csv(cohort):
    with (cohort / "candidates.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["candidate_id"] for r in rows] == [f"cand-{i:04d}" for i in range(1, 17)]
    assert all((cohort / r["location"]).exists() for r in rows)
    manifest = json.loads((cohort / "MANIFEST.json").read_text())
    formats = {c["format"] for c in manifest["candidates"]}
    assert formats == {"dir", "zip", "tar.gz", "bundle"}
    assert len({c["base"] for c in manifest["candidates"]}) == len(BASES)
    assert sum(1 for c in manifest["candidates"] if c["breakage"]) == round(16 * 0.15)
    assert any(c["transforms"] for c in manifest["candidates"])
    assert any(c["perturbations"] for c in manifest["candidates"])
    for cand in manifest["candidates"]:
        assert cand["location"].startswith(cand["candidate_id"])


def test_cohort_contents_are_clean_and_valid(cohort):
    manifest = json.loads((cohort / "MANIFEST.json").read_text())
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    for cand in manifest["candidates"]:
        path = cohort / cand["location"]
        broken = cand["breakage"]["kind"] if cand["breakage"] else None
        if cand["format"] == "dir":
            names = [str(p.relative_to(path)) for p in path.rglob("*")]
            for py in path.rglob("*.py"):
                if broken not in ("syntax_error", "non_utf8_py", "py2_print") and cand["base"] != "broken":
                    compile(py.read_bytes(), str(py), "exec")
        elif cand["format"] == "zip":
            if broken == "corrupt_zip":
                with pytest.raises(zipfile.BadZipFile):
                    zipfile.ZipFile(path).namelist()
                continue
            names = zipfile.ZipFile(path).namelist()
        elif cand["format"] == "tar.gz":
            with tarfile.open(path) as tf:
                names = tf.getnames()
        else:
            subprocess.run(["git", "bundle", "verify", "-q", str(path)], check=True, capture_output=True, env=env)
            heads = subprocess.run(["git", "bundle", "list-heads", str(path)], check=True, capture_output=True,
                                   text=True, env=env).stdout
            assert "refs/heads/main" in heads
            continue
        assert not any(n.endswith(("EXPECTED.toml", "ATTACK.toml")) for n in names), cand["candidate_id"]
        if broken == "run_sh_missing":
            assert not any(n.endswith("run.sh") for n in names)


def test_cohort_breakages_do_what_they_say(tmp_path):
    synth_cohort(18, tmp_path, seed=2, broken_fraction=1.0, formats=("dir", "zip"))
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    kinds = {c["breakage"]["kind"] for c in manifest["candidates"]}
    assert len(kinds) >= 8
    for cand in manifest["candidates"]:
        kind, path = cand["breakage"]["kind"], tmp_path / cand["location"]
        if cand["format"] != "dir":
            continue
        target = path / cand["breakage"]["file"]
        if kind in ("syntax_error", "py2_print"):
            with pytest.raises(SyntaxError):
                compile(target.read_bytes(), str(target), "exec")
        elif kind == "non_utf8_py":
            with pytest.raises(UnicodeDecodeError):
                target.read_bytes().decode("utf-8")
        elif kind == "notebook_empty":
            assert target.stat().st_size == 0
        elif kind == "notebook_not_json":
            with pytest.raises(ValueError):
                json.loads(target.read_text())
        elif kind == "run_sh_exit1":
            assert "exit 1" in target.read_text()
        elif kind == "predictions_removed":
            original = SAMPLES / cand["base"] / cand["breakage"]["file"]
            assert target.read_text().count(".to_csv(") == original.read_text().count(".to_csv(") - 1


def test_cohort_is_deterministic(cohort, tmp_path):
    synth_cohort(16, tmp_path, seed=4)
    assert (tmp_path / "MANIFEST.json").read_text() == (cohort / "MANIFEST.json").read_text()
    assert _tree_digest(tmp_path) == _tree_digest(cohort)
    bases = base_samples(SAMPLES)
    assert plan_cohort(16, 5, bases, 0.15, FORMATS) != plan_cohort(16, 4, bases, 0.15, FORMATS)
