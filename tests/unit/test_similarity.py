"""Similarity engine: sample cohort calibration, attacks (renaming, reordering, dead code, notebook), exclusions,
corpus, hostile inputs, serialisation and the inverted index's scaling."""

from __future__ import annotations

import ast
import io
import json
import os
import random
import tokenize
from pathlib import Path

import pytest

from grader.similarity import (
    CodeUnit,
    SimilarityConfig,
    SimilarityReport,
    SubmissionCode,
    extract_code,
    find_similar,
    load_submission,
)

SAMPLES = Path(__file__).resolve().parents[2] / "sample_submissions"
INDEPENDENT = ("strong", "average", "weak", "broken", "leaky", "cd_src", "abs_path")


# ---------------------------------------------------------------------------------------------------------------
# attack helpers (text → text), deterministic with a seed


def rename_identifiers(text: str, seed: int = 0) -> str:
    """Rename every name the module binds (functions, classes, arguments, assigned names) consistently."""
    tree = ast.parse(text)
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    bound = {name for name in bound if not (name.startswith("__") and name.endswith("__")) and name != "self"}
    rng = random.Random(seed)
    mapping = {name: f"v{rng.randrange(10**6)}_{i}" for i, name in enumerate(sorted(bound))}
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.NAME and tok.string in mapping:
            tok = tok._replace(string=mapping[tok.string])
        out.append(tok)
    return tokenize.untokenize(out)


def reorder_functions(text: str, seed: int = 0) -> str:
    """Shuffle the top-level functions and classes of a module (everything else keeps its place)."""
    tree = ast.parse(text)
    lines = text.split("\n")
    blocks = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            blocks.append((first, node.end_lineno))
    if len(blocks) < 2:
        return text
    shuffled = blocks[:]
    random.Random(seed).shuffle(shuffled)
    out = list(lines)
    # replace each block slot with another block's text, from the bottom so slots keep their lines
    texts = {b: lines[b[0] - 1 : b[1]] for b in blocks}
    for slot, block in sorted(zip(blocks, shuffled, strict=True), reverse=True):
        out[slot[0] - 1 : slot[1]] = texts[block]
    return "\n".join(out)


def _dead_statement(rng: random.Random, n: int, indent: str) -> list[str]:
    kind = rng.randrange(7)
    if kind == 0:
        return [f"{indent}_tmp{n} = {rng.randrange(100)}"]
    if kind == 1:
        return [f"{indent}unused_{n} = len(str({rng.randrange(1000)}))"]
    if kind == 2:
        return [f"{indent}pass"]
    if kind == 3:
        return [f"{indent}if False:", f"{indent}    _never{n} = {n} * 2"]
    if kind == 4:
        return [f"{indent}{rng.randrange(9)} + {n}"]
    if kind == 5:
        return [f"{indent}def _helper{n}(a, b={n}):", f"{indent}    return a + b * {n}"]
    return [f"{indent}_scratch{n} = [i * {n} for i in range({rng.randrange(1, 9)})]"]


def insert_dead_code(text: str, rate: float, seed: int = 0) -> str:
    """After each simple statement insert `rate` useless statements on average (same indentation)."""
    rng = random.Random(seed)
    tree = ast.parse(text)
    lines = text.split("\n")
    points = []
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            body = getattr(node, attr, None)
            if not isinstance(body, list):
                continue
            for stmt in body:
                if isinstance(stmt, ast.stmt) and not hasattr(stmt, "body"):
                    line = lines[stmt.lineno - 1]
                    if len(line) - len(line.lstrip()) == stmt.col_offset and ";" not in line:
                        points.append((stmt.end_lineno, line[: stmt.col_offset]))
    counter = 0
    for end, indent in sorted(set(points), reverse=True):
        count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        new = []
        for _ in range(count):
            counter += 1
            new.extend(_dead_statement(rng, counter, indent))
        lines[end:end] = new
    return "\n".join(lines)


def transform(sub: SubmissionCode, name: str, fn) -> SubmissionCode:
    units = [CodeUnit(u.path, fn(u.text) if u.kind == "py" else u.text, u.kind, u.line_map) for u in sub.units]
    return SubmissionCode(name, units)


def notebook_json(cells: list[str]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Copied pipeline"}]
            + [
                {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": cell}
                for cell in cells
            ],
        }
    )


def as_notebook(sub: SubmissionCode, name: str, tmp_path: Path) -> SubmissionCode:
    """All .py code of a submission moved into notebook cells (one cell per top-level statement group)."""
    cells = ["%matplotlib inline\n!pip list | head"]
    for unit in sub.units:
        if unit.kind != "py" or not unit.text.strip():
            continue
        tree = ast.parse(unit.text)
        lines = unit.text.split("\n")
        for node in tree.body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            cells.append("\n".join(lines[first - 1 : node.end_lineno]))
    root = tmp_path / name
    root.mkdir(parents=True, exist_ok=True)
    (root / "eda.ipynb").write_text(notebook_json(cells), encoding="utf-8")
    return load_submission(name, root)


# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples() -> dict[str, SubmissionCode]:
    names = (*INDEPENDENT, "plagiarised")
    return {name: load_submission(name, SAMPLES / name) for name in names}


@pytest.fixture(scope="module")
def sample_report(samples) -> SimilarityReport:
    return find_similar(list(samples.values()))


def test_plagiarised_copy_reported_with_real_fragments(samples, sample_report):
    pair = next(p for p in sample_report.pairs if {p.a, p.b} == {"plagiarised", "strong"})
    assert pair.a == "plagiarised" and pair.b == "strong"  # alphabetical
    assert pair.score >= sample_report.threshold + 0.2
    assert 0 < pair.a_coverage <= 1 and 0 < pair.b_coverage <= 1
    assert pair.fragments and len(pair.fragments) <= sample_report.config.max_fragments
    units = {(s.candidate, u.path): u for s in samples.values() for u in s.units}
    paths_b = {f.b_path for f in pair.fragments}
    assert "src/train.py" in paths_b  # fitting.py is an obfuscated train.py
    for frag in pair.fragments:
        for side, cand in (("a", pair.a), ("b", pair.b)):
            fields = ("path", "start", "end", "text", "cell")
            path, start, end, text, cell = (getattr(frag, f"{side}_{x}") for x in fields)
            assert 1 <= start <= end
            unit = units[(cand, path)]
            if unit.kind == "py":
                assert cell is None
                real = unit.text.split("\n")[start - 1 : end]
            else:
                assert cell is not None
                rows = [i for i, (c, n) in enumerate(unit.line_map) if c == cell and start <= n <= end]
                real = [unit.text.split("\n")[i] for i in rows]
            shown = [line for line in text.split("\n") if not line.startswith("... (")]
            assert shown == real[: len(shown)] and shown
    # the fragments of train.py ↔ fitting.py contain a real line of both
    frag = next(f for f in pair.fragments if f.b_path == "src/train.py")
    assert frag.a_path == "src/fitting.py"


def test_independent_samples_stay_below_threshold(sample_report):
    for i, a in enumerate(INDEPENDENT):
        for b in INDEPENDENT[i + 1 :]:
            assert sample_report.score(a, b) < sample_report.threshold - 0.1, (a, b)
        if a != "strong":
            assert sample_report.score(a, "plagiarised") < sample_report.threshold, a
    assert {(p.a, p.b) for p in sample_report.pairs} == {("plagiarised", "strong")}


@pytest.mark.parametrize(
    "attack",
    ["rename", "reorder", "dead_code_2", "all_three"],
)
def test_attacks_stay_above_threshold(samples, attack):
    strong = samples["strong"]
    fns = {
        "rename": lambda t: rename_identifiers(t, 1),
        "reorder": lambda t: reorder_functions(t, 2),
        "dead_code_2": lambda t: insert_dead_code(t, 2.0, 3),
        "all_three": lambda t: insert_dead_code(reorder_functions(rename_identifiers(t, 4), 5), 1.0, 6),
    }
    copy = transform(strong, "copy", fns[attack])
    assert copy.units[1].text != strong.units[1].text
    cohort = [strong, copy, samples["average"], samples["leaky"], samples["weak"]]
    report = find_similar(cohort)
    assert report.score("copy", "strong") >= report.threshold + 0.15, report.score("copy", "strong")
    assert any({p.a, p.b} == {"copy", "strong"} and p.fragments for p in report.pairs)


def test_dead_code_normalisation_beats_plain_winnowing(samples):
    strong = samples["strong"]
    copy = transform(strong, "copy", lambda t: insert_dead_code(t, 2.0, 7))
    cohort = [strong, copy, samples["average"]]
    with_norm = find_similar(cohort).score("copy", "strong")
    plain = find_similar(cohort, config=SimilarityConfig(dead_code=False)).score("copy", "strong")
    assert with_norm > plain + 0.3, (with_norm, plain)


def test_script_moved_into_notebook_still_matches(samples, tmp_path):
    strong = samples["strong"]
    moved = as_notebook(strong, "nbcopy", tmp_path)
    assert [u.kind for u in moved.units] == ["notebook"]
    unit = moved.units[0]
    assert "%matplotlib" not in unit.text and "!pip" not in unit.text
    assert unit.line_map and unit.line_map[0][0] == 3  # cell 1 is markdown, cell 2 only magics
    report = find_similar([strong, moved, samples["average"], samples["weak"]])
    assert report.score("nbcopy", "strong") >= report.threshold + 0.2
    pair = next(p for p in report.pairs if {p.a, p.b} == {"nbcopy", "strong"})
    assert all(f.a_path == "eda.ipynb" and f.a_cell is not None and f.a_cell >= 3 for f in pair.fragments)
    assert any(f.b_path.startswith("src/") and f.b_cell is None for f in pair.fragments)


BOILERPLATE = '''
def load_table(path, table):
    import sqlite3
    import pandas as pd
    with sqlite3.connect(path) as connection:
        frame = pd.read_sql_query(f"SELECT * FROM {table}", connection)
    frame = frame.drop_duplicates().reset_index(drop=True)
    frame.columns = [c.strip().lower() for c in frame.columns]
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].str.strip().str.lower()
    return frame
'''


def _expression(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth >= 3 or roll < 0.3:
        return rng.choice(["a0", "total", str(rng.randrange(50)), "'s'", "items[0]", "a0.size"])
    if roll < 0.5:
        args = ", ".join(_expression(rng, depth + 1) for _ in range(rng.randrange(0, 4)))
        return f"{rng.choice(['g', 'h.m', 'len', 'k.n.p'])}({args})"
    if roll < 0.6:
        return f"[{_expression(rng, depth + 1)} for x in {_expression(rng, depth + 1)}]"
    op = rng.choice(["+", "-", "*", "//", "%", "<", "==", "and", "or", "&", "|"])
    return f"({_expression(rng, depth + 1)} {op} {_expression(rng, depth + 1)})"


def _distinct_program(seed: int, functions: int = 6) -> str:
    """A program with its own structure: random statements over random expressions."""
    rng = random.Random(seed)
    out = []
    for f in range(functions):
        out.append(f"def f{f}({', '.join(f'a{i}' for i in range(rng.randrange(1, 4)))}):")
        for _ in range(rng.randrange(4, 10)):
            shape = rng.randrange(5)
            if shape == 0:
                out.append(f"    for x in {_expression(rng)}:\n        total = {_expression(rng)}")
            elif shape == 1:
                out.append(f"    if {_expression(rng)}:\n        total = {_expression(rng)}")
            elif shape == 2:
                out.append(f"    items = [{_expression(rng)}, {_expression(rng)}]")
            elif shape == 3:
                out.append(f"    g({_expression(rng)}, key={_expression(rng)})")
            else:
                out.append(f"    total = {_expression(rng)}")
        out.append(f"    return {_expression(rng)}\n")
    out.append("print(" + ", ".join(f"f{f}(load_table)" for f in range(functions)) + ")")  # unused code is dead code
    return "\n".join(out)


def test_common_boilerplate_is_excluded():
    cohort = [
        SubmissionCode(f"c{i}", [CodeUnit("src/io.py", BOILERPLATE, "py"), CodeUnit("src/main.py",
                       _distinct_program(i * 7919), "py")])
        for i in range(12)
    ]
    report = find_similar(cohort)
    assert report.pairs == []
    assert report.excluded_common > 0
    assert max(report.scores.values(), default=0.0) < report.threshold
    # without the exclusion the boilerplate alone would make them look alike
    loose = find_similar(cohort, config=SimilarityConfig(common_fraction=1.0, common_min=100))
    assert max(loose.scores.values()) > max(report.scores.values(), default=0.0)


def test_a_ring_of_copies_is_not_mistaken_for_common_code(samples):
    """Seven holders of one solution in a cohort of 13: every pair among them is reported, no other pair is."""
    copies = [SubmissionCode(f"copy{i}", samples["strong"].units) for i in range(6)]
    cohort = copies + [samples[name] for name in ("plagiarised", "average", "weak", "broken", "leaky", "cd_src",
                                                   "abs_path")]
    report = find_similar(cohort)
    ring = {f"copy{i}" for i in range(6)} | {"plagiarised"}
    found = {(p.a, p.b) for p in report.pairs}
    assert found == {(a, b) for a in ring for b in ring if a < b}


def test_template_code_is_excluded():
    starter = SubmissionCode("starter", [CodeUnit("src/io.py", BOILERPLATE + _distinct_program(1), "py")])
    a = SubmissionCode("a", [CodeUnit("src/io.py", BOILERPLATE + _distinct_program(1), "py"),
                             CodeUnit("src/x.py", _distinct_program(11), "py")])
    b = SubmissionCode("b", [CodeUnit("src/io.py", BOILERPLATE + _distinct_program(1), "py"),
                             CodeUnit("src/x.py", _distinct_program(22), "py")])
    config = SimilarityConfig(common_min=5)
    assert find_similar([a, b], config=config).score("a", "b") >= config.threshold
    report = find_similar([a, b], template=[starter], config=config)
    assert report.pairs == [] and report.score("a", "b") < 0.1
    assert report.excluded_common > 0


def test_corpus_pairs_are_flagged(samples):
    past = SubmissionCode("past/strong-2023", samples["strong"].units)
    other = SubmissionCode("past/leaky-2023", samples["leaky"].units)
    cohort = [samples["plagiarised"], samples["average"], samples["weak"]]
    report = find_similar(cohort, corpus=[past, other])
    flagged = [p for p in report.pairs if p.against_corpus]
    assert [(p.a, p.b) for p in flagged] == [("plagiarised", "past/strong-2023")]
    assert flagged[0].fragments
    assert report.score("past/strong-2023", "past/leaky-2023") == 0.0  # corpus ↔ corpus is not compared


def test_hostile_inputs_do_not_raise(tmp_path):
    root = tmp_path / "hostile"
    (root / "src").mkdir(parents=True)
    (root / "src" / "py2.py").write_text('print "hello"\nexec "x = 1"\nprint `x`\nclass A:\n  def f(self): print 1\n')
    (root / "src" / "latin1.py").write_bytes("# caf\xe9\nx = 'd\xe9j\xe0'\n".encode("latin-1"))
    (root / "src" / "junk.py").write_bytes(bytes(range(256)) * 20)
    (root / "src" / "indent.py").write_text("def f():\n        x = 1\n    return x\n'''unterminated\n")
    (root / "src" / "deep.py").write_text("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (root / "broken.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ')
    (root / "weird.ipynb").write_text('{"cells": {"not": "a list"}}')
    (root / "list.ipynb").write_text("[1, 2, 3]")
    (root / "ok.ipynb").write_text(notebook_json(["%%bash\necho hi", "x = 1\n!ls\nprint(x)"]))
    (root / ".venv").mkdir()
    (root / ".venv" / "lib.py").write_text("ignored = True\n")
    (root / "link.py").symlink_to(root / "src" / "py2.py")
    (root / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(root / "src" / "fifo.py")  # opening it must not block
    (root / "src" / "huge.py").write_text("x = 1\n" * 600_000)  # 3.6 MB: capped at 2 MB
    sub = load_submission("hostile", root)
    paths = sorted(u.path for u in sub.units)
    assert paths == ["ok.ipynb", "src/deep.py", "src/huge.py", "src/indent.py", "src/junk.py", "src/latin1.py",
                     "src/py2.py"]
    assert len(next(u for u in sub.units if u.path == "src/huge.py").text) == 2 * 1024 * 1024
    ok = next(u for u in sub.units if u.path == "ok.ipynb")
    assert ok.text == "x = 1\nprint(x)\n" and ok.line_map == [(3, 1), (3, 3)]  # cell 1 markdown, 2 %%bash
    assert "\ufffd" in next(u for u in sub.units if u.path == "src/latin1.py").text
    assert extract_code(root, ["../outside.py", "/etc/passwd", "missing.py", "link.py"], ["broken.ipynb"]) == []
    units = [u for u in sub.units if u.path != "src/huge.py"]  # 350k statements: slow, not hostile
    report = find_similar([SubmissionCode("hostile", units), SubmissionCode("twin", units)])
    assert report.score("hostile", "twin") > 0.9  # still fingerprinted (token fallback), identical copies match


def test_round_trips(samples, sample_report):
    sub = samples["strong"]
    data = json.loads(json.dumps(sub.to_dict()))
    again = SubmissionCode.from_dict(data)
    assert again == sub
    notebook = next(u for u in sub.units if u.kind == "notebook")
    assert notebook.line_map and again.units[sub.units.index(notebook)].line_map == notebook.line_map
    report = json.loads(json.dumps(sample_report.to_dict()))
    assert report["pairs"][0]["a"] == "plagiarised" and report["pairs"][0]["fragments"]
    assert report["threshold"] == sample_report.threshold
    assert any(row[:2] == ["plagiarised", "strong"] for row in report["scores"])


def test_index_does_not_compare_all_pairs():
    n = 300
    cohort = [
        SubmissionCode(f"s{i:03d}", [CodeUnit("main.py", _distinct_program(i, functions=4), "py")]) for i in range(n)
    ]
    cohort.append(SubmissionCode("z_copy", [CodeUnit("main.py", rename_identifiers(_distinct_program(5, 4), 9), "py")]))
    report = find_similar(cohort, config=SimilarityConfig(workers=1))
    all_pairs = (n + 1) * n // 2
    assert report.stats["all_pairs"] == all_pairs
    assert report.stats["candidate_pairs"] < all_pairs / 4, report.stats
    assert report.stats["pair_entries"] < all_pairs, report.stats
    assert [(p.a, p.b) for p in report.pairs][:1] == [("s005", "z_copy")]
