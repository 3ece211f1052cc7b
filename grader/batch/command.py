"""`grader batch` and `grader cohort synth`: the command-line side of cohort grading."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from grader.batch.sources import SourceError
from grader.packs import PackError, pack_spec, resolve_pack
from grader.textsafe import safe_terminal_text as safe

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_START = 0, 1, 2


def add_batch_parsers(sub, add_dynamic_options) -> None:
    batch = sub.add_parser("batch", help="grade a cohort: a folder of submissions or a CSV of candidate_id,location")
    batch.add_argument("src", help="folder of submissions (folders, .zip, .tar.gz, git bundles) or a .csv file")
    batch.add_argument("--out", required=True, help="output folder: submissions/<id>/, summary.csv, cohort.html")
    batch.add_argument("--pack", default=None, help="assessment pack directory (default: the mock test)")
    batch.add_argument("--heldout-mode", choices=("predictions", "rerun"), default=None,
                       help="grade in this held-out mode (a pack built for both; default: the pack's own)")
    batch.add_argument("--jobs", type=int, default=1, help="submissions graded at once on this machine (default 1)")
    batch.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="grade on a Dask distributed cluster instead of local processes")
    batch.add_argument("--backend", choices=("docker", "local", "none"), default="docker",
                       help="sandbox of every run (default docker; local is NOT a security boundary)")
    batch.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip entries whose name matches (repeatable), e.g. 'hostile_*'")
    batch.add_argument("--corpus", default=None, help="folder of known solutions (one per sub-folder) to compare with")
    batch.add_argument("--no-similarity", action="store_true", help="skip the cohort's plagiarism check")
    batch.add_argument("--requirements-cache-mb", type=int, default=8000,
                       help="after the batch, prune this machine's cache of candidates' requirement layers to this "
                            "size, least recently used first (default 8000; 0 keeps only what the last hour used)")
    add_dynamic_options(batch)
    batch.set_defaults(func=cmd_batch)

    cohort = sub.add_parser("cohort", help="cohort tools")
    cohort_sub = cohort.add_subparsers(dest="cohort_command", required=True)
    synth = cohort_sub.add_parser("synth", help="write N varied submissions derived from the samples (for tests)")
    synth.add_argument("n", type=int)
    synth.add_argument("out")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--broken-fraction", type=float, default=0.15)
    synth.set_defaults(func=cmd_cohort_synth)


def _executor(args: argparse.Namespace, console: Console):
    from grader.batch.executors import DaskExecutor, LocalExecutor

    if args.scheduler:
        return DaskExecutor(args.scheduler)
    if args.backend != "none":  # open the sandbox once here: the image is built before the workers start
        from grader.sandboxes import open_sandbox

        opened = open_sandbox(args.backend)
        if opened.problem:
            raise SourceError(opened.problem)
        if opened.warning:
            console.print(f"[yellow]warning:[/] {safe(opened.warning)}", soft_wrap=True)
    return LocalExecutor(args.jobs)


def result_line(row) -> str:
    """One finished submission as a progress line (rich markup): every part from the cohort escaped and stripped."""
    score = row.report.get("score") if row.report else None
    if score:
        what = f"{safe(score['percent'])}% {'PASS' if score['passed'] else 'FAIL'}"
    else:
        first = (row.error or "").splitlines()[0][:120] if row.error else ""
        what = f"[red]{safe(row.status)}[/]: {safe(first)}"
    return f"  {safe(row.candidate)}: {what} in {row.wall_s or 0:.0f} s"


def cmd_batch(args: argparse.Namespace, console: Console) -> int:
    from grader.batch.executors import WorkerMismatch
    from grader.batch.runner import run_batch
    from grader.batch.store import grader_fingerprint
    from grader.cli import dynamic_options

    src, out = Path(args.src), Path(args.out)
    if not src.exists():
        console.print(f"[bold red]grader:[/] {safe(src)}: no such file or directory")
        return EXIT_CANNOT_START
    try:
        pack = resolve_pack(args.pack, args.heldout_mode)
        executor = _executor(args, console)
    except (PackError, SourceError, OSError) as exc:
        console.print(f"[bold red]grader:[/] {safe(exc)}", soft_wrap=True)
        return EXIT_CANNOT_START
    try:
        if args.scheduler:
            executor.check_workers(grader_fingerprint())
        console.print(safe(f"grading {src} on {executor.description}; results in {out}"), highlight=False)
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("eta"), TimeRemainingColumn(), console=console, transient=False)
        bar = None
        started = time.monotonic()

        def on_event(kind: str, payload) -> None:
            nonlocal bar
            if kind == "planned":
                console.print(f"{payload['total']} submissions: {payload['reused']} already graded (cached), "
                              f"{payload['rejected']} rejected before grading, {payload['to_grade']} to grade"
                              + (f"; removed {payload['cleaned']} half-written results of an interrupted batch"
                                 if payload["cleaned"] else ""), highlight=False)
                bar = progress.add_task("grading", total=payload["to_grade"])
            elif kind == "graded":
                progress.console.print(result_line(payload), highlight=False)
                progress.advance(bar)
            elif kind == "similarity":
                progress.console.print("comparing the cohort's code (plagiarism check)")

        with progress:
            spec = pack_spec(args.pack, args.heldout_mode)
            result = run_batch(src, out, pack, spec, args.backend, dynamic_options(args), executor,
                               tuple(args.exclude), on_event, similarity=not args.no_similarity,
                               corpus=Path(args.corpus) if args.corpus else None,
                               prune_requirements_mb=None if args.scheduler else args.requirements_cache_mb)
    except (SourceError, WorkerMismatch) as exc:
        console.print(f"[bold red]grader:[/] {safe(exc)}", soft_wrap=True)
        return EXIT_CANNOT_START
    finally:
        executor.close()
    minutes = max(1e-9, (time.monotonic() - started) / 60)
    pairs = len((result.similarity or {}).get("pairs", []))
    console.print(f"done in {result.wall_s:.0f} s: {result.graded_now} graded now "
                  f"({result.graded_now / minutes:.1f} per minute), {result.reused} reused, "
                  f"{result.failed} not gradable or failed, {pairs} similar pairs", highlight=False)
    if result.pruned[0]:
        console.print(f"requirements cache: removed {result.pruned[0]} least recently used layers "
                      f"({result.pruned[1] / 1e6:.0f} MB)", highlight=False)
    console.print(safe(f"cohort: {out / 'summary.csv'} and {out / 'cohort.html'}"))
    errors = [r for r in result.rows if r.status == "grader_error"]
    if errors:
        console.print(f"[yellow]{len(errors)} grader errors (re-run the same command to retry them): "
                      f"{safe(', '.join(r.candidate for r in errors[:10]))}[/]")
        return EXIT_SOME_FAILED
    return EXIT_OK


def cmd_cohort_synth(args: argparse.Namespace, console: Console) -> int:
    from grader.synth.cohort import synth_cohort

    started = time.monotonic()
    made = synth_cohort(args.n, Path(args.out), seed=args.seed, broken_fraction=args.broken_fraction)
    console.print(safe(f"{len(made)} submissions written to {args.out} in {time.monotonic() - started:.1f} s "
                       f"(see {Path(args.out) / 'MANIFEST.json'} and candidates.csv)"), highlight=False)
    return EXIT_OK
