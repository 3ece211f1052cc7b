"""`grader ...`: the command line of SPEC §8. Results go to stdout, errors and progress to stderr; the exit
codes are listed in grader.terminal and in `grader --help`."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from grader import __version__
from grader.options import (
    BACKEND_HELP,
    BACKENDS,
    add_dynamic_options,
    dynamic_options,
    output_options,
)
from grader.outdir import default_check_out, folder_problem, out_problem, source_problem
from grader.terminal import (
    EXIT_CANNOT_GRADE,
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_NOT_GRADED,
    EXIT_OK,
    Terminal,
)
from grader.textsafe import safe_terminal_text as safe

__all__ = ["EXIT_CANNOT_GRADE", "EXIT_OK", "build_parser", "dynamic_options", "main"]


def _submission_name(source: Path) -> str:
    name = source.resolve().name if source.name in ("", ".", "..") else source.name
    for suffix in (".zip", ".tar.gz", ".tgz", ".tar"):
        name = name.removesuffix(suffix)
    return name or "submission"


def cmd_check(args: argparse.Namespace, term: Terminal) -> int:
    from grader.packs import PackError, resolve_pack

    source = Path(args.submission)
    problem = source_problem(source)
    if problem:
        return term.error(problem)
    out = Path(args.out) if args.out else default_check_out(source, _submission_name(source))
    problem = out_problem(out, (source,))
    if problem:
        return term.error(problem)
    try:
        pack = resolve_pack(args.pack, args.heldout_mode)
    except PackError as exc:
        return term.error(f"cannot load the assessment pack: {exc}")
    from sandbox.registry import open_sandbox

    opened = open_sandbox(args.backend, log=term.note)
    if opened.problem:
        return term.error(opened.problem)
    if opened.warning:
        term.warning(opened.warning)
    install = pack.install_requirements if args.install_requirements is None else args.install_requirements
    if install and opened.sandbox is not None:
        term.note("the submission's requirements are installed before its run, as assessors do: the first time a set "
                  "of pins is seen, their wheels are downloaded (possibly 100+ MB, then cached); "
                  "--no-install-requirements runs with the grading environment's libraries only")
    return _grade_and_report(args, term, source, pack, opened.sandbox, out)


def _grade_and_report(args: argparse.Namespace, term: Terminal, source: Path, pack, sandbox, out: Path) -> int:
    from grader.grade import grade
    from grader.reports.writers import show_report, write_reports

    with term.status(f"grading {safe(source)}") as status:
        grading = grade(source, pack, sandbox, keep_dir=out,
                        progress=lambda m: status.update(f"{safe(source)}: {safe(m)}"),
                        options=dynamic_options(args))
    try:
        report, warnings = write_reports(grading, out)
    except OSError as exc:
        return term.error(f"the grading finished but its reports could not be written to {out}: {exc}")
    for warning in warnings:
        term.warning(warning)
    show_report(args.format, report, term, out)
    return EXIT_NOT_GRADED if report["status"] == "not_graded" else EXIT_OK


def cmd_review(args: argparse.Namespace, term: Terminal) -> int:
    """Record an assessor's override of one line, with a reason."""
    from grader.reports.overrides import OverrideError, record_override
    from grader.rubric import load_rubric

    try:
        entry = record_override(Path(args.report_dir), load_rubric(), args.line, args.level, args.reason,
                                args.assessor)
    except OverrideError as exc:
        return term.error(str(exc))
    except OSError as exc:
        return term.error(f"cannot record the override in {args.report_dir}: {exc}")
    term.result(f"recorded: {safe(entry['line'])} -> {entry['level']} by {safe(entry['assessor'])} ({entry['at']}); "
                f"run `grader finalize {safe(args.report_dir)}` for the final score")
    if entry.get("note"):
        term.print(f"note: {safe(entry['note'])}")
    return EXIT_OK


def cmd_finalize(args: argparse.Namespace, term: Terminal) -> int:
    """Apply the overrides: final levels, total, pass/fail and the audit trail in report.json."""
    from grader.reports.overrides import OverrideError, finalize_folder
    from grader.reports.writers import write_html

    folder = Path(args.report_dir)
    try:
        report = finalize_folder(folder)
        write_html(report, folder)
    except OverrideError as exc:
        return term.error(str(exc))
    except OSError as exc:
        return term.error(f"cannot write the final report in {folder}: {exc}")
    final = report["final"]
    for item in final["audit"]:
        term.print(f"{safe(item['line'])}: {safe(item['old'])} -> {safe(item['new'])} by {safe(item['assessor'])} "
                   f"at {safe(item['at'])}: {safe(item['reason'])}")
    term.result(f"automated {report['score']['points']:g}/{report['score']['max_points']:g} "
                f"({report['score']['percent']}%) -> final {final['points']:g}/{final['max_points']:g} "
                f"({final['percent']}%) {'PASS' if final['passed'] else 'FAIL'}")
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace, term: Terminal) -> int:
    from grader.calibrate.command import cmd_calibrate as run

    return run(args, term, dynamic_options)


def cmd_mock_init(args: argparse.Namespace, term: Terminal) -> int:
    """Give a candidate the paper, the training data and a practice held-out file; nothing of the held-out set."""
    from grader.packs import resolve_pack
    from grader.packs.candidate_kit import write_mock_attempt

    dest = Path(args.dir)
    problem = folder_problem(dest, args.force)
    if problem:
        return term.error(problem)
    try:
        written = write_mock_attempt(resolve_pack(None), dest)
    except OSError as exc:
        return term.error(f"cannot write the mock test to {dest}: {exc.strerror or exc}")
    term.result(f"mock test written to {safe(dest)}: {safe(', '.join(written))}.")
    term.print(f"Read paper.md, build your solution there, then run `grader check {safe(dest)}`. "
               "data/ is git-ignored: the assessors provide the data, and data/holdout.db is a practice file drawn "
               "from the training rows.")
    return EXIT_OK


def cmd_checks_list(args: argparse.Namespace, term: Terminal) -> int:
    from checks import CATALOGUE

    for check_class in CATALOGUE:
        term.print(f"[bold]{check_class.code}[/] {check_class.name} ({check_class.kind}) -> "
                   f"{', '.join(check_class.lines)}")
        term.print(f"    what: {safe(check_class.summary)}")
        term.print(f"    why:  {safe(check_class.rationale)}")
        if check_class.example:
            term.print(f"    e.g.: {safe(check_class.example)}")
        if check_class.metrics:
            term.print("    metrics:")
        for metric, meaning in check_class.metrics.items():
            term.print(f"      {safe(metric)}: {safe(meaning)}", markup=False)
    return EXIT_OK


def _add_check(sub, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser("check", parents=[common], help="grade one submission (folder, .zip or .tar[.gz])",
                           description="Grade one submission: terminal summary, report.json and report.html.",
                           epilog=EXIT_CODES)
    check.add_argument("submission", help="the submission: a folder, a .zip or a .tar[.gz] archive")
    check.add_argument("--pack", default=None, help="assessment pack folder (default: the built-in mock test)")
    check.add_argument("--heldout-mode", choices=("predictions", "rerun"), default=None,
                       help="grade in this held-out mode (a pack built for both; default: the pack's own)")
    check.add_argument("--out", default=None, help="output folder (default: grader-out/<name>/ in the working folder, "
                                                   "or beside the submission when run inside it)")
    check.add_argument("--backend", choices=BACKENDS, default="auto", help=BACKEND_HELP)
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: the terminal summary; json: report.json on stdout (progress stays on stderr)")
    add_dynamic_options(check)
    check.set_defaults(func=cmd_check)


def _add_small_commands(sub, common: argparse.ArgumentParser) -> None:
    mock = sub.add_parser("mock", help="the mock test for candidates")
    mock_sub = mock.add_subparsers(dest="mock_command", required=True, metavar="COMMAND")
    init = mock_sub.add_parser("init", parents=[common], help="write the mock paper and training data into DIR")
    init.add_argument("dir", help="the folder to create (or an empty one)")
    init.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    init.set_defaults(func=cmd_mock_init)

    review = sub.add_parser("review", parents=[common], help="record an assessor's override of one rubric line")
    review.add_argument("report_dir", help="the folder holding report.json")
    review.add_argument("--line", required=True, help="line id, e.g. prog.exception_handling or comm.eda")
    review.add_argument("--level", required=True, type=int, choices=(0, 1, 2, 3), help="the assessor's level")
    review.add_argument("--reason", required=True, help="why, in a sentence (kept in the audit trail)")
    review.add_argument("--assessor", required=True, help="the assessor's name")
    review.set_defaults(func=cmd_review)

    final = sub.add_parser("finalize", parents=[common], help="apply the overrides: final total, pass/fail, audit")
    final.add_argument("report_dir", help="the folder holding report.json and overrides.json")
    final.set_defaults(func=cmd_finalize)

    checks = sub.add_parser("checks", help="the check catalogue")
    checks_sub = checks.add_subparsers(dest="checks_command", required=True, metavar="COMMAND")
    listing = checks_sub.add_parser("list", parents=[common], help="every check with its code, lines and doc")
    listing.set_defaults(func=cmd_checks_list)


def build_parser() -> argparse.ArgumentParser:
    from grader.batch.command import add_batch_parsers
    from grader.calibrate.command import add_calibrate_parser
    from grader.packs.command import add_pack_parsers

    parser = argparse.ArgumentParser(prog="grader", epilog=EXIT_CODES,
                                     description="Automated grader of the Associate AI Engineer technical test "
                                                 "(Annex A1).")
    parser.add_argument("--version", action="version", version=f"aie-grader {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = output_options()
    _add_check(sub, common)
    add_calibrate_parser(sub, common)
    sub.choices["calibrate"].set_defaults(func=cmd_calibrate)
    _add_small_commands(sub, common)
    add_pack_parsers(sub, common)
    add_batch_parsers(sub, common)
    return parser


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    term = Terminal(quiet=getattr(args, "quiet", 0), verbose=getattr(args, "verbose", 0))
    signal.signal(signal.SIGTERM, _terminate)  # so `finally` blocks remove running containers
    try:
        return int(args.func(args, term))
    except KeyboardInterrupt:
        term.err.print("[red]interrupted[/]")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
