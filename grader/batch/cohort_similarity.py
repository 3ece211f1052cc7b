"""The cohort's plagiarism check (SPEC §11, Handbook §1.3) after grading: pairs into similarity.json, cohort.html and
the report.json / report.html of every submission involved, with the `possible_plagiarism` flag."""

from __future__ import annotations

import json
from pathlib import Path

from grader.atomicfile import write_text
from grader.batch.store import ResultStore
from grader.packs import Pack
from grader.reports.cohort import Row
from grader.reports.writers import write_grading_files

FLAG = "possible_plagiarism"
STARTER_FOLDER = "starter"  # a pack's template / starter code, excluded from matching


def _load_code(store: ResultStore, row: Row):
    from grader.similarity import SubmissionCode

    try:
        data = json.loads((store.folder(row.candidate) / "code.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    code = SubmissionCode.from_dict(data)
    code.candidate = row.candidate  # a copied twin keeps its own id
    return code


def load_corpus(folder: Path | None) -> list:
    """Known solutions: each sub-folder of `folder` is one (past cohorts, published solutions)."""
    from grader.similarity import load_submission

    if folder is None:
        return []
    return [load_submission(f"corpus:{entry.name}", entry) for entry in sorted(folder.iterdir())
            if entry.is_dir() and not entry.name.startswith(".")]


def _side(pair: dict, me: str) -> dict:
    """One pair as seen from `me`: the other candidate, my coverage first, fragments with my side on the left."""
    mine_is_a = pair["a"] == me
    fragments = []
    for frag in pair["fragments"]:
        if mine_is_a:
            fragments.append(frag)
            continue
        swapped = {}
        for key, value in frag.items():
            swapped[key.replace("a_", "\0").replace("b_", "a_").replace("\0", "b_")] = value
        fragments.append(swapped)
    return {"other": pair["b"] if mine_is_a else pair["a"], "score": pair["score"],
            "coverage_self": pair["a_coverage"] if mine_is_a else pair["b_coverage"],
            "coverage_other": pair["b_coverage"] if mine_is_a else pair["a_coverage"],
            "against_corpus": bool(pair.get("against_corpus")), "fragments": fragments}


def annotate_cohort(store: ResultStore, rows: list[Row], pack: Pack, corpus: Path | None = None) -> dict:
    """Compare every graded submission's code; write similarity.json and annotate the reports involved."""
    graded = [r for r in rows if r.status == "graded" and r.report]
    data = _compare_cohort(store, graded, pack, corpus)
    write_text(json.dumps(data, indent=1), store.out / "similarity.json")
    for row in graded:
        _annotate_row(store, row, data)
    return data


def _compare_cohort(store: ResultStore, graded: list[Row], pack: Pack, corpus: Path | None) -> dict:
    """similarity.json's content: graded submissions compared with each other and the corpus, starter code left out."""
    from grader.similarity import find_similar, load_submission

    codes = [code for code in (_load_code(store, r) for r in graded) if code is not None]
    starter = pack.root / STARTER_FOLDER
    template = [load_submission("starter", starter)] if starter.is_dir() else []
    report = find_similar(codes, corpus=load_corpus(corpus), template=template)
    data = report.to_dict()
    data["submissions"] = len(codes)
    data["corpus"] = str(corpus) if corpus else None
    return data


def _annotate_row(store: ResultStore, row: Row, data: dict) -> None:
    """Set a row's pairs; flag its report and rewrite its files when its similarity section changes."""
    mine = [_side(p, row.candidate) for p in data.get("pairs", []) if row.candidate in (p["a"], p["b"])]
    row.similarity = mine
    desired = {"threshold": data.get("threshold"), "cohort_size": data["submissions"], "pairs": mine} if mine else None
    if desired == row.report.get("similarity"):
        return
    row.report["flags"] = [f for f in row.report.get("flags", []) if f != FLAG] + ([FLAG] if mine else [])
    if desired is None:
        row.report.pop("similarity", None)
    else:
        row.report["similarity"] = desired
    write_grading_files(row.report, store.folder(row.candidate))
