"""`grader batch`: the command-line side of cohort grading."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from grader.batch.sources import SourceError
from grader.options import BACKEND_HELP, BACKENDS, add_dynamic_options, dynamic_options, positive_int
from grader.outdir import out_problem, source_problem
from grader.terminal import EXIT_CODES, EXIT_OK, EXIT_SOME_FAILED, Terminal
from grader.textsafe import safe_terminal_text as safe


def add_batch_parsers(sub, common) -> None:
    batch = sub.add_parser("batch", parents=[common], epilog=EXIT_CODES,
                           help="grade a cohort: a folder of submissions or a CSV of candidate_id,location")
    batch.add_argument("src", help="folder of submissions (folders, .zip, .tar.gz, git bundles) or a .csv file")
    batch.add_argument("--out", required=True, help="output folder: submissions/<id>/, summary.csv, cohort.html")
    batch.add_argument("--pack", default=None, help="assessment pack directory (default: the mock test)")
    batch.add_argument("--heldout-mode", choices=("predictions", "rerun"), default=None,
                       help="grade in this held-out mode (a pack built for both; default: the pack's own)")
    batch.add_argument("--jobs", type=positive_int, default=1,
                       help="submissions graded at once on this machine (default 1)")
    batch.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="grade on a Dask distributed cluster instead of local processes")
    batch.add_argument("--backend", choices=BACKENDS, default="docker", help=BACKEND_HELP + " (default docker)")
    batch.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip entries whose name matches (repeatable), e.g. 'hostile_*'")
    batch.add_argument("--corpus", default=None, help="folder of known solutions (one per sub-folder) to compare with")
    batch.add_argument("--no-similarity", action="store_true", help="skip the cohort's plagiarism check")
    batch.add_argument("--requirements-cache-mb", type=int, default=8000,
                       help="after the batch, prune this machine's cache of candidates' requirement layers to this "
                            "size, least recently used first (default 8000; 0 keeps only what the last hour used)")
    add_dynamic_options(batch)
    batch.set_defaults(func=cmd_batch)


def _executor(args: argparse.Namespace, term: Terminal):
    """The executor, and the backend the workers use (`auto` resolved here, once)."""
    from grader.batch.executors import DaskExecutor, LocalExecutor

    if args.scheduler:
        return DaskExecutor(args.scheduler), args.backend
    from sandbox.registry import open_sandbox  # opened once here: the image is built before the workers start

    opened = open_sandbox(args.backend, log=term.note)
    if opened.problem:
        raise SourceError(opened.problem)
    if opened.warning:
        term.warning(opened.warning)
    return LocalExecutor(args.jobs), opened.sandbox.name if opened.sandbox else "none"


def result_line(row) -> str:
    """One finished submission as a progress line (rich markup): every part from the cohort escaped and stripped."""
    score = row.report.get("score") if row.report else None
    if score:
        what = f"{safe(score['percent'])}% {'PASS' if score['passed'] else 'FAIL'}"
    else:
        first = (row.error or "").splitlines()[0][:120] if row.error else ""
        what = f"[red]{safe(row.status)}[/]: {safe(first)}"
    return f"  {safe(row.candidate)}: {what} in {row.wall_s or 0:.0f} s"


def cmd_batch(args: argparse.Namespace, term: Terminal) -> int:
    from grader.batch.executors import WorkerMismatch
    from grader.packs import PackError, resolve_pack

    src, out = Path(args.src), Path(args.out)
    problem = source_problem(src)
    if problem:
        return term.error(problem)
    problem = out_problem(out, (src,) if src.is_dir() else ())
    if problem:
        return term.error(problem)
    try:
        pack = resolve_pack(args.pack, args.heldout_mode)
        executor, backend = _executor(args, term)
    except (PackError, SourceError, WorkerMismatch, OSError) as exc:
        return term.error(str(exc))
    return _run(args, term, src, out, pack, executor, backend)


def _run(args: argparse.Namespace, term: Terminal, src: Path, out: Path, pack, executor, backend: str) -> int:
    from grader.batch.executors import WorkerMismatch
    from grader.batch.runner import run_batch
    from grader.batch.store import grader_fingerprint
    from grader.packs import pack_spec

    console = term.err
    try:
        if args.scheduler:
            executor.check_workers(grader_fingerprint())
        term.note(f"grading {src} on {executor.description}; results in {out}")
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("eta"), TimeRemainingColumn(), console=console, transient=False,
                            disable=bool(term.quiet))
        bar = None
        started = time.monotonic()

        def on_event(kind: str, payload) -> None:
            nonlocal bar
            if kind == "planned":
                term.note(f"{payload['total']} submissions: {payload['reused']} already graded (cached), "
                          f"{payload['rejected']} rejected before grading, {payload['to_grade']} to grade"
                          + (f"; removed {payload['cleaned']} half-written results of an interrupted batch"
                             if payload["cleaned"] else ""))
                bar = progress.add_task("grading", total=payload["to_grade"])
            elif kind == "graded":
                if not term.quiet:
                    progress.console.print(result_line(payload), highlight=False)
                progress.advance(bar)
            elif kind == "similarity":
                term.note("comparing the cohort's code (plagiarism check)")

        with progress:
            spec = pack_spec(args.pack, args.heldout_mode)
            result = run_batch(src, out, pack, spec, backend, dynamic_options(args), executor,
                               tuple(args.exclude), on_event, similarity=not args.no_similarity,
                               corpus=Path(args.corpus) if args.corpus else None,
                               prune_requirements_mb=None if args.scheduler else args.requirements_cache_mb)
    except (SourceError, WorkerMismatch) as exc:
        return term.error(str(exc))
    finally:
        executor.close()
    minutes = max(1e-9, (time.monotonic() - started) / 60)
    pairs = len((result.similarity or {}).get("pairs", []))
    term.print(f"done in {result.wall_s:.0f} s: {result.graded_now} graded now "
               f"({result.graded_now / minutes:.1f} per minute), {result.reused} reused, "
               f"{result.failed} not gradable or failed, {pairs} similar pairs")
    if result.pruned[0]:
        term.note(f"requirements cache: removed {result.pruned[0]} least recently used layers "
                  f"({result.pruned[1] / 1e6:.0f} MB)")
    term.result(safe(f"cohort: {out / 'summary.csv'} and {out / 'cohort.html'}"))
    errors = [r for r in result.rows if r.status == "grader_error"]
    if errors:
        term.warning(f"{len(errors)} grader errors (re-run the same command to retry them): "
                     f"{', '.join(r.candidate for r in errors[:10])}")
        return EXIT_SOME_FAILED
    return EXIT_OK
