"""`grader pack new` and `grader pack validate`: the staff commands that author and check packs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.table import Table

from grader.packs import PackError, resolve_pack
from grader.terminal import EXIT_CANNOT_GRADE as EXIT_BAD_INPUT
from grader.terminal import EXIT_OK, Terminal
from grader.textsafe import safe_terminal_text as safe


def add_pack_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    pack = sub.add_parser("pack", help="assessment packs: author one from a round's data, or check one")
    pack_sub = pack.add_subparsers(dest="pack_command", required=True, metavar="COMMAND")
    new = pack_sub.add_parser("new", parents=[common], help="build a complete pack from a round's SQLite file (or CSV)")
    new.add_argument("data_file", help="the round's SQLite database or CSV file")
    new.add_argument("--target", required=True, help="the column to predict")
    new.add_argument("--out", required=True, help="the pack folder to write (must be new or empty)")
    new.add_argument("--table", default=None, help="the table (default: the only table of the database)")
    new.add_argument("--task", choices=("binary", "multiclass", "regression"), default=None,
                     help="the task type (default: inferred from the target, and printed)")
    new.add_argument("--positive", default=None, help="binary: the positive class (default: 1/yes/true, else the "
                                                       "minority class)")
    new.add_argument("--id-column", default=None, help="the unique id predictions are keyed by; created when the "
                                                        "table has no such column (default: a unique *id column)")
    new.add_argument("--labels-map", default=None, help="raw target spellings -> classes: 'raw=class;raw2=class' or "
                                                         "a .toml/.json file (default: spellings that differ only "
                                                         "in case, spaces or punctuation are merged)")
    new.add_argument("--group", default=None, help="a column whose groups never straddle training and held-out rows")
    new.add_argument("--mode", choices=("predictions", "rerun", "both"), default="predictions",
                     help="held-out features + labels (predictions), a fresh labelled sample (rerun), or both")
    new.add_argument("--seen", action="store_true", help="re-grade a past round whose candidates had the whole "
                                                        "file: the training file is the file itself and the rerun "
                                                        "sample a stratified resample of it (reported as seen data)")
    new.add_argument("--holdout", type=float, default=0.2, help="held-out share (0-1) or row count (default 0.2)")
    new.add_argument("--split", choices=("random", "tail"), default="random",
                     help="random: stratified by class (or grouped, or by target quantile); tail: the last rows of "
                          "the table are held out (time-ordered data)")
    new.add_argument("--seed", type=int, default=0, help="seed of the split and the reference pipeline")
    new.add_argument("--title", default=None, help="the paper's title")
    new.add_argument("--id", dest="pack_id", default=None, help="the pack id (default: from the file name)")
    new.add_argument("--round-date", default=None, help="YYYY-MM-DD: candidates' loose requirements resolve as of "
                                                         "this date")
    new.add_argument("--settings", default=None, help="a TOML file of extra tables: domain words, advice, limits, "
                                                       "rules, pass_rule, weights")
    new.add_argument("--paper", default=None, help="use this paper.md instead of drafting one")
    new.add_argument("--force", action="store_true", help="replace an existing pack folder")
    new.set_defaults(func=cmd_pack_new)
    validate = pack_sub.add_parser("validate", parents=[common],
                                   help="report every problem of a pack directory (or `mock`)")
    validate.add_argument("dir", help="the pack folder, or `mock`")
    validate.set_defaults(func=cmd_pack_validate)


def request_from(args: argparse.Namespace):
    from grader.packs.new import NewPack, command_line
    from grader.packs.target import parse_labels_map

    modes = ("predictions", "rerun") if args.mode == "both" else (args.mode,)
    return NewPack(data_file=Path(args.data_file), target=args.target, out=Path(args.out), table=args.table,
                   task=args.task, positive=args.positive, id_column=args.id_column,
                   labels_map=parse_labels_map(args.labels_map), group=args.group, modes=modes, seen=args.seen,
                   holdout=args.holdout, split=args.split, seed=args.seed, title=args.title, pack_id=args.pack_id,
                   round_date=args.round_date, settings=Path(args.settings) if args.settings else None,
                   paper=Path(args.paper) if args.paper else None, force=args.force,
                   command=command_line(sys.argv[1:]))


def cmd_pack_new(args: argparse.Namespace, console: Terminal) -> int:
    from grader.packs.new import build_pack

    try:
        built = build_pack(request_from(args))
    except PackError as exc:
        return console.error(str(exc))
    print_summary(built, console)
    return EXIT_OK


def _scores(scores: dict) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in scores.items() if isinstance(v, int | float)) or "-"


def print_summary(built, console: Terminal) -> None:
    """What staff check before publishing: the inferred task, the balance, the split, the yardsticks."""
    pack, facts = built.pack, built.facts
    console.print(f"[bold]pack {safe(pack.id)}[/] written to {safe(pack.root)} ({built.timings['total_s']:.1f} s)",
                  highlight=False)
    for note in built.notes:
        console.print(f"  {safe(note)}", highlight=False)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("task", safe(f"{pack.task}, target {pack.target!r}"
                              + (f", positive {pack.positive_label!r}" if pack.task == "binary" else "")))
    balance = facts.get("class_balance") or facts.get("target_summary") or {}
    shown = (f"{k} {v:.1%}" if pack.task != "regression" else f"{k} {v}" for k, v in balance.items())
    table.add_row("class balance" if pack.task != "regression" else "target", safe(", ".join(shown)))
    seen = " (resampled: seen data)" if facts["seen_data"] else ""
    table.add_row("rows", f"{facts['rows_source']} in the file; {facts['rows_train']} training, "
                          f"{facts['rows_heldout']} held out{seen}")
    table.add_row("modes", ", ".join(pack.modes))
    table.add_row("id column", safe(pack.id_column or "(none)") + (" (created)" if facts.get("id_created") else ""))
    table.add_row("primary metric", pack.primary_metric)
    for name, scores in (facts.get("baselines") or {}).items():
        table.add_row(f"baseline {name}", safe(_scores(scores)))
    if "predictions" in pack.modes:
        table.add_row("reference (held out)", safe(_scores(resolve_pack(str(pack.root), "predictions").reference)))
    if "rerun" in pack.modes:
        table.add_row("reference (rerun)", safe(_scores(resolve_pack(str(pack.root), "rerun").reference)))
    console.print(table)
    console.print(f"  edit {safe(pack.root / 'paper.md')} (drafted), then run `grader pack validate "
                  f"{safe(pack.root)}`", highlight=False)


def cmd_pack_validate(args: argparse.Namespace, console: Terminal) -> int:
    from grader.packs.validate import pack_problems

    if args.dir == "mock":
        try:
            root = resolve_pack(None).root
        except PackError as exc:
            return console.error(str(exc))
    else:
        root = Path(args.dir)
    if not root.is_dir():
        return console.error(f"{root}: no such pack folder")
    problems = pack_problems(root)
    if problems:
        console.print(f"[bold red]{len(problems)} problem(s)[/] in {safe(root)}:", highlight=False)
        for problem in problems:
            console.print(f"  - {safe(problem)}", highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    pack = resolve_pack(str(root))
    console.print("[green]ok[/]: " + safe(f"{pack.id} ({pack.task}, target {pack.target}, modes "
                                         f"{', '.join(pack.modes)}, {len(pack.columns)} columns, reference "
                                         f"{pack.primary_metric} {pack.reference.get(pack.primary_metric, 'n/a')})"),
                  highlight=False)
    return EXIT_OK
