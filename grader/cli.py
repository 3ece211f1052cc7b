"""`grader ...`: the command line of SPEC §8."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
from pathlib import Path

from rich.console import Console

from checks import CATALOGUE
from grader import __version__
from grader.calibrate.command import add_calibrate_parser
from grader.overrides import OverrideError, finalize_folder, record_override
from grader.packs import PackError, resolve_pack
from grader.textsafe import safe_terminal_text as safe

EXIT_OK = 0
EXIT_CANNOT_GRADE = 2


def _err(console: Console, message: str) -> int:
    console.print(f"[bold red]grader:[/] {safe(message)}", highlight=False, soft_wrap=True)
    return EXIT_CANNOT_GRADE


def _sandbox(backend: str, console: Console):
    """The sandbox to use, or None with a reason when none can run."""
    from grader.sandboxes import open_sandbox

    opened = open_sandbox(backend)
    if opened.warning:
        console.print(f"[yellow]warning:[/] {safe(opened.warning)}", soft_wrap=True)
    return opened.sandbox, opened.problem


def add_dynamic_options(parser: argparse.ArgumentParser) -> None:
    """Switches for the dynamic checks (issue 5); every one is on by default except the repeat run."""
    group = parser.add_argument_group("dynamic checks")
    group.add_argument("--no-trace", action="store_true", help="do not load the data-flow tracer into the run")
    group.add_argument("--no-probes", action="store_true", help="skip the robustness probes (4 extra runs)")
    group.add_argument("--no-notebook", action="store_true", help="do not re-execute the EDA notebook")
    group.add_argument("--no-assist", action="store_true",
                       help="no assisted re-run when the submitted run fails for a mechanical reason")
    group.add_argument("--repeat", action="store_true",
                       help="run the pipeline twice and compare the predictions (reproducibility)")
    group.add_argument("--install-requirements", dest="install_requirements", action="store_true", default=None,
                       help="install the candidate's requirements into an environment layer (default: the pack's rule)")
    group.add_argument("--no-install-requirements", dest="install_requirements", action="store_false")
    group.add_argument("--probe-jobs", type=int, default=2, help="robustness probes run at the same time (default 2)")


def dynamic_options(args: argparse.Namespace):
    from grader.dynamic import DynamicOptions

    return DynamicOptions(trace=not args.no_trace, probes=not args.no_probes, notebook=not args.no_notebook,
                          repeat=args.repeat, assist=not args.no_assist,
                          install_requirements=args.install_requirements, probe_jobs=max(1, args.probe_jobs))


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from grader.grade import grade
    from grader.outputs import write_reports
    from grader.report import print_summary

    source = Path(args.submission)
    if not source.exists():
        return _err(console, f"{source}: no such file or directory")
    try:
        pack = resolve_pack(args.pack, args.heldout_mode)
    except PackError as exc:
        return _err(console, f"cannot load the assessment pack: {exc}")
    sandbox, problem = _sandbox(args.backend, console)
    if problem:
        return _err(console, problem)
    name = source.name.removesuffix(".zip").removesuffix(".tar.gz").removesuffix(".tar") or "submission"
    out = Path(args.out) if args.out else Path("grader-out") / name
    out.mkdir(parents=True, exist_ok=True)
    with console.status(f"grading {safe(source)}") as status:
        grading = grade(source, pack, sandbox, keep_dir=out,
                        progress=lambda m: status.update(f"{safe(source)}: {safe(m)}"),
                        options=dynamic_options(args))
    report, warnings = write_reports(grading, out)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {safe(warning)}", soft_wrap=True)
    path = out / "report.json"
    print_summary(report, console)
    if report.get("final"):
        final = report["final"]
        console.print(f"assessor overrides applied: {len(final['audit'])} current, "
                      f"{len(final['stale_overrides'])} stale (submission changed); final total "
                      f"{final['points']:g}/{final['max_points']:g} ({final['percent']}%) "
                      f"{'PASS' if final['passed'] else 'FAIL'}", highlight=False)
    console.print(f"report: {safe(path)} and {safe(out / 'report.html')}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace, console: Console) -> int:
    """Record an assessor's override of one line, with a reason."""
    from grader.rubric import load_rubric

    try:
        entry = record_override(Path(args.report_dir), load_rubric(), args.line, args.level, args.reason,
                                args.assessor)
    except OverrideError as exc:
        return _err(console, str(exc))
    console.print(f"recorded: {safe(entry['line'])} -> {entry['level']} by {safe(entry['assessor'])} ({entry['at']}); "
                  f"run `grader finalize {safe(args.report_dir)}` for the final score", highlight=False)
    return EXIT_OK


def cmd_finalize(args: argparse.Namespace, console: Console) -> int:
    """Apply the overrides: final levels, total, pass/fail and the audit trail in report.json."""
    from grader.html_report import write_html

    try:
        report = finalize_folder(Path(args.report_dir))
    except OverrideError as exc:
        return _err(console, str(exc))
    write_html(report, Path(args.report_dir))
    final = report["final"]
    for item in final["audit"]:
        console.print(f"{safe(item['line'])}: {safe(item['old'])} -> {safe(item['new'])} by {safe(item['assessor'])} "
                      f"at {safe(item['at'])}: {safe(item['reason'])}", highlight=False)
    console.print(f"automated {report['score']['points']:g}/{report['score']['max_points']:g} "
                  f"({report['score']['percent']}%) -> final {final['points']:g}/{final['max_points']:g} "
                  f"({final['percent']}%) {'PASS' if final['passed'] else 'FAIL'}", highlight=False)
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace, console: Console) -> int:
    from grader.calibrate.command import cmd_calibrate as run

    return run(args, console, dynamic_options)


def cmd_mock_init(args: argparse.Namespace, console: Console) -> int:
    """Give a candidate the paper and the training data; nothing of the held-out set."""
    pack = resolve_pack(None)
    dest = Path(args.dir)
    if dest.exists() and any(dest.iterdir()) and not args.force:
        return _err(console, f"{dest} is not empty (use --force to write into it)")
    (dest / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pack.paper, dest / "paper.md")
    shutil.copyfile(pack.train_db, dest / "data" / Path(pack.dataset_file).name)
    console.print(f"mock test written to {safe(dest)}: paper.md and data/{safe(Path(pack.dataset_file).name)}. "
                  f"Build your solution there, then run `grader check {safe(dest)}`.")
    return EXIT_OK


def cmd_checks_list(args: argparse.Namespace, console: Console) -> int:
    for check_class in CATALOGUE:
        console.print(f"[bold]{check_class.code}[/] {check_class.name} ({check_class.kind}) -> "
                      f"{', '.join(check_class.lines)}")
        console.print(f"    what: {safe(check_class.summary)}", highlight=False)
        console.print(f"    why:  {safe(check_class.rationale)}", highlight=False)
        if check_class.example:
            console.print(f"    e.g.: {safe(check_class.example)}", highlight=False)
        if check_class.metrics:
            console.print("    metrics:", highlight=False)
        for metric, meaning in check_class.metrics.items():
            console.print(f"      {safe(metric)}: {safe(meaning)}", highlight=False, markup=False)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grader", description="Automated grader of the Associate AI Engineer "
                                                                 "technical test (Annex A1).")
    parser.add_argument("--version", action="version", version=f"aie-grader {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="grade one submission (directory, .zip or .tar[.gz])")
    check.add_argument("submission")
    check.add_argument("--pack", default=None, help="assessment pack directory (default: the mock test)")
    check.add_argument("--heldout-mode", choices=("predictions", "rerun"), default=None,
                       help="grade in this held-out mode (a pack built for both; default: the pack's own)")
    check.add_argument("--out", default=None, help="output folder (default: grader-out/<name>/)")
    check.add_argument("--backend", choices=("auto", "docker", "local", "none"), default="auto",
                       help="where the pipeline runs: auto = Docker when an engine answers, else the local runner "
                            "(not a security boundary); none = static analysis only, recorded as not run")
    add_dynamic_options(check)
    check.set_defaults(func=cmd_check)

    add_calibrate_parser(sub, add_dynamic_options)
    sub.choices["calibrate"].set_defaults(func=cmd_calibrate)

    mock = sub.add_parser("mock", help="the mock test for candidates")
    mock_sub = mock.add_subparsers(dest="mock_command", required=True)
    init = mock_sub.add_parser("init", help="write the mock paper and training data into DIR")
    init.add_argument("dir")
    init.add_argument("--force", action="store_true")
    init.set_defaults(func=cmd_mock_init)

    from grader.packs.command import add_pack_parsers

    add_pack_parsers(sub)

    review = sub.add_parser("review", help="record an assessor's override of one rubric line")
    review.add_argument("report_dir", help="the folder holding report.json")
    review.add_argument("--line", required=True, help="line id, e.g. prog.exception_handling or comm.eda")
    review.add_argument("--level", required=True, type=int, choices=(0, 1, 2, 3))
    review.add_argument("--reason", required=True)
    review.add_argument("--assessor", required=True)
    review.set_defaults(func=cmd_review)

    final = sub.add_parser("finalize", help="apply the overrides: final total, pass/fail, audit trail")
    final.add_argument("report_dir")
    final.set_defaults(func=cmd_finalize)

    from grader.batch.command import add_batch_parsers

    add_batch_parsers(sub, add_dynamic_options)

    checks = sub.add_parser("checks", help="the check catalogue")
    checks_sub = checks.add_subparsers(dest="checks_command", required=True)
    listing = checks_sub.add_parser("list", help="every check with its code, lines and doc")
    listing.set_defaults(func=cmd_checks_list)
    return parser


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console() if sys.stdout.isatty() else Console(width=140)
    signal.signal(signal.SIGTERM, _terminate)  # so `finally` blocks remove running containers
    try:
        return int(args.func(args, console))
    except KeyboardInterrupt:
        console.print("[red]interrupted[/]")
        return 130


if __name__ == "__main__":
    sys.exit(main())
