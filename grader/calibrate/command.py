"""`grader calibrate DIR`: grade a rated corpus (or the samples) and print how far the grader agrees."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
from pathlib import Path

from grader.calibrate.agreement import agreement
from grader.calibrate.corpus import Corpus, CorpusError, load_corpus
from grader.calibrate.rescore import LineResult, rescore
from grader.calibrate.view import Judged, print_agreement, print_bands, print_disagreements
from grader.options import BACKENDS, add_dynamic_options, positive_int
from grader.packs import Pack, PackError, pack_spec, resolve_pack
from grader.rubric import Rubric, RubricError, load_rubric
from grader.terminal import EXIT_OK, Terminal
from grader.textsafe import safe_terminal_text as safe
from sandbox.cache import cache_root

REAL_DATA_ENV = "AIE_REAL_DATA"


def add_calibrate_parser(sub, common) -> None:
    calibrate = sub.add_parser("calibrate", parents=[common],
                               help="agreement of the grader's levels with blind ratings (a corpus with corpus.toml, "
                                    "or samples with EXPECTED.toml)")
    calibrate.add_argument("dir", help="a calibration corpus (calibration/) or a folder of samples")
    calibrate.add_argument("--pack", default=None, help="samples only: the pack to grade them against (default mock)")
    calibrate.add_argument("--heldout-mode", choices=("predictions", "rerun"), default=None,
                           help="samples only: grade in this held-out mode (default: the pack's own)")
    calibrate.add_argument("--backend", choices=BACKENDS, default="docker",
                           help="where the pipelines run (default docker)")
    calibrate.add_argument("--jobs", type=positive_int, default=1, help="submissions graded at once (default 1)")
    calibrate.add_argument("--out", default=None,
                           help="where the reports are kept and reused (default grader-out/calibrate/<dir name>)")
    calibrate.add_argument("--no-grade", action="store_true",
                           help="grade nothing: re-score the stored reports' evidence with the current rubric")
    calibrate.add_argument("--half", choices=("tuning", "test", "all"), default=None,
                           help="print only this half of a corpus (default: tuning and test)")
    calibrate.add_argument("--disagreements", type=int, default=0, metavar="N",
                           help="also list N disagreements (largest first): the grader's reason, the rater's note")
    calibrate.add_argument("--rubric", default=None,
                           help="score with this rubric TOML instead of the shipped one (e.g. an older version)")
    calibrate.add_argument("--real-data", default=None,
                           help=f"folder of the real rounds' files for the corpus packs (default ${REAL_DATA_ENV} "
                                "or ../shared/data/real)")
    add_dynamic_options(calibrate)


def _real_data(args: argparse.Namespace) -> Path:
    return Path(args.real_data or os.environ.get(REAL_DATA_ENV) or "../shared/data/real")


def corpus_pack(corpus: Corpus, name: str, args: argparse.Namespace, console: Terminal) -> tuple[Pack, str]:
    """The pack a corpus's submissions of `name` are graded against, built with `grader pack new` when needed."""
    entry = corpus.packs[name]
    if "builtin" in entry or not corpus.halves:
        spec = args.pack or entry.get("builtin") or "mock"
        return resolve_pack(spec, args.heldout_mode), pack_spec(spec, args.heldout_mode) or "mock"
    data = _real_data(args) / entry["data"]
    if not data.is_file():
        raise PackError(f"{corpus.root / 'corpus.toml'}: pack {name} needs {data} "
                        f"(set --real-data or ${REAL_DATA_ENV})")
    argv = ["pack", "new", str(data), *entry["pack_new"]]
    key = hashlib.sha256(json.dumps([entry, data.stat().st_size]).encode()).hexdigest()[:12]
    folder = cache_root() / "calibration-packs" / f"{name}-{key}"
    if not (folder / "assessment.toml").is_file():
        from grader.packs.command import request_from
        from grader.packs.new import build_pack

        console.print(safe(f"building pack {name}: grader {shlex.join(argv)} --out {folder}"), highlight=False)
        parser = argparse.ArgumentParser(prog="grader")
        from grader.packs.command import add_pack_parsers

        add_pack_parsers(parser.add_subparsers(dest="command"))
        build_pack(request_from(parser.parse_args([*argv, "--out", str(folder), "--force"])))
    return resolve_pack(str(folder), args.heldout_mode), pack_spec(str(folder), args.heldout_mode) or str(folder)


def grade_corpus(corpus: Corpus, out: Path, args: argparse.Namespace, console: Terminal, options) -> None:
    """Grade every submission whose report is missing or stale (the batch cache decides), pack by pack."""
    from grader.batch.executors import LocalExecutor
    from grader.batch.runner import run_batch

    for name in corpus.packs:
        ids = [s.id for s in corpus.submissions.values() if s.pack == name]
        if not ids:
            continue
        pack, spec = corpus_pack(corpus, name, args, console)
        src = corpus.root / "corpus" / name if corpus.halves or (corpus.root / "corpus.toml").is_file() else corpus.root
        exclude = tuple(p.name for p in src.iterdir() if p.name not in ids)
        console.print(safe(f"grading {len(ids)} submissions of {name} into {out / name}"), highlight=False)
        executor = LocalExecutor(max(1, args.jobs))
        try:
            result = run_batch(src, out / name, pack, spec, args.backend, options, executor, exclude,
                               lambda kind, row: console.print(safe(f"  graded {row.candidate}"), highlight=False)
                               if kind == "graded" else None, similarity=False)
        finally:
            executor.close()
        console.print(f"  {result.graded_now} graded now, {result.reused} reused", highlight=False)


def grader_levels(corpus: Corpus, out: Path, rubric: Rubric) -> dict[str, dict[str, LineResult]]:
    """Each submission's line results, re-scored from its stored report with the current rubric."""
    found = {}
    for sub in corpus.submissions.values():
        path = out / sub.pack / "submissions" / sub.id / "report.json"
        if path.is_file():
            found[sub.id] = rescore(json.loads(path.read_text(encoding="utf-8")), rubric)
    return found


def judged(corpus: Corpus, ids: list[str], results: dict[str, dict[str, LineResult]]) -> list[Judged]:
    items = []
    for sid in ids:
        rating = corpus.submissions[sid].primary
        for line, level in rating.levels.items():
            got = results.get(sid, {}).get(line)
            items.append(Judged(sid, line, level, got.level if got else None, got.confidence if got else 0.0,
                                got.needs_review if got else True, got.reason if got else "not graded",
                                rating.notes.get(line, "")))
    return items


def report_half(title: str, corpus: Corpus, ids: list[str], results: dict[str, dict[str, LineResult]],
                line_ids: list[str], console: Terminal, disagreements: int) -> None:
    reference = {sid: corpus.submissions[sid].primary.levels for sid in ids}
    compared = {sid: {line: r.level for line, r in results.get(sid, {}).items()} for sid in ids if sid in results}
    missing = sorted(set(ids) - set(compared))
    if missing:
        console.print(f"[yellow]{safe(title)}: no report for {safe(', '.join(missing))}[/]")
    print_agreement(title, agreement(reference, compared, line_ids), console)
    items = judged(corpus, [i for i in ids if i in compared], results)
    print_bands(title, items, console)
    if disagreements:
        print_disagreements(title, items, console, disagreements)


def report_raters(corpus: Corpus, line_ids: list[str], console: Terminal) -> None:
    """The ceiling: how far two blind raters agree on the doubly rated submissions."""
    doubly = [s for s in corpus.submissions.values() if s.second is not None and s.primary is not None]
    if not doubly:
        return
    reference = {s.id: s.primary.levels for s in doubly}
    second = {s.id: dict(s.second.levels) for s in doubly}
    print_agreement("two blind raters (doubly rated)", agreement(reference, second, line_ids), console,
                    who=("primary rater", "second rater"), confusion=False)


def _prepare(args: argparse.Namespace, console: Terminal, dynamic_options) -> tuple[Corpus, Path, Rubric]:
    """The corpus, its reports folder (grading what is missing unless --no-grade) and the rubric to score with."""
    folder = Path(args.dir)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder of rated submissions")
    corpus = load_corpus(folder)
    if not corpus.submissions:
        raise CorpusError(f"{folder}: no submission (samples with EXPECTED.toml, or corpus/<pack>/<id>/)")
    out = Path(args.out or Path("grader-out") / "calibrate" / folder.resolve().name)
    rubric = load_rubric(Path(args.rubric)) if args.rubric else load_rubric()
    if not args.no_grade:
        grade_corpus(corpus, out, args, console, dynamic_options(args))
    return corpus, out, rubric


def cmd_calibrate(args: argparse.Namespace, console: Terminal, dynamic_options) -> int:
    """Grade (or re-score) the corpus and print agreement per half, per line and overall."""
    try:
        corpus, out, rubric = _prepare(args, console, dynamic_options)
    except (CorpusError, PackError, RubricError, OSError) as exc:
        return console.error(str(exc))
    line_ids = [line.id for line in rubric.lines if line.auto]
    results = grader_levels(corpus, out, rubric)
    name = Path(args.dir).name
    halves = [args.half] if args.half else (["tuning", "test"] if corpus.halves else ["all"])
    for half in halves:
        ids = corpus.ids(None if half == "all" else half)
        report_half(f"{name} {half} half" if half != "all" else name, corpus, ids, results, line_ids, console,
                    args.disagreements)
    report_raters(corpus, line_ids, console)
    unrated = sorted(i for i, s in corpus.submissions.items() if s.primary is None)
    if unrated:
        console.print(safe(f"not rated yet (graded only): {', '.join(unrated)}"), highlight=False)
    return EXIT_OK
