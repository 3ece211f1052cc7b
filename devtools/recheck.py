"""Re-run the static checks of a calibration corpus into a copy of its stored reports (no pipeline is re-run).

Tuning a check means re-grading the corpus, and a full re-grade runs every pipeline and probe again (hours for
forty submissions). The static checks read only files, so this re-runs them on each submission (the same check
classes and context as grade.py's static phase), keeps the stored dynamic evidence (runs, probes, trace,
held-out score), reconciles the two as grade.py does, and writes the reports to a new folder that
`grader calibrate DIR --no-grade --out NEW` re-scores.

It parses the submissions on this machine, outside the sandbox: use it on the project's own corpus only, never
on candidates' work.

    python -m devtools.recheck calibration /work/calib/reports /work/calib/rechecked [--only ID ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from checks import CATALOGUE
from checks.reconcile import reconcile_evidence
from grader.calibrate.corpus import load_corpus
from grader.calibrate.rescore import evidence_from_report
from grader.grade import check_context
from grader.intake.workspace import take_in
from grader.packs import Pack
from grader.reports.report import evidence_dict


def recheck_report(report: dict, submission: Path, pack: Pack, codes: set[str]) -> dict:
    """The report with the evidence of `codes` measured again on the submission's files, then reconciled."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = take_in(submission, Path(tmp))
        ctx = check_context(ws, pack)
        found = evidence_from_report(report)
        for check in CATALOGUE:
            if check.code in codes:
                found[check.code] = check()(ctx)
        reconcile_evidence(found)
    evidence = [evidence_dict(found[c.code]) for c in CATALOGUE if c.code in found]
    return {**report, "evidence": evidence, "rechecked": sorted(codes)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.recheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="the calibration folder (corpus/<pack>/<id>/, corpus.toml)")
    parser.add_argument("reports", help="the stored reports (<pack>/submissions/<id>/report.json)")
    parser.add_argument("out", help="where the rechecked copy goes (created; must not exist)")
    parser.add_argument("--codes", default="static", help="check codes, comma-separated, or 'static' (default)")
    parser.add_argument("--only", nargs="*", default=(), help="submission ids (default: all)")
    args = parser.parse_args(argv)
    from grader.calibrate.command import corpus_pack
    from grader.terminal import Terminal

    corpus = load_corpus(Path(args.corpus))
    codes = {c.code for c in CATALOGUE if c.kind == "static"} if args.codes == "static" else set(args.codes.split(","))
    out = Path(args.out)
    if out.exists():
        print(f"{out}: exists; give a new folder", file=sys.stderr)
        return 2
    shutil.copytree(args.reports, out)
    pack_args = argparse.Namespace(pack=None, heldout_mode=None, real_data=None)
    packs = {name: corpus_pack(corpus, name, pack_args, Terminal())[0] for name in corpus.packs}
    for sub in corpus.submissions.values():
        path = out / sub.pack / "submissions" / sub.id / "report.json"
        if (args.only and sub.id not in args.only) or not path.is_file():
            continue
        folder = corpus.root / "corpus" / sub.pack / sub.id
        folder = folder if folder.is_dir() else corpus.root / sub.id  # the samples sit at the corpus's root
        report = recheck_report(json.loads(path.read_text(encoding="utf-8")), folder, packs[sub.pack], codes)
        path.write_text(json.dumps(report, default=str), encoding="utf-8")
        print(f"{sub.id}: {len(codes)} check(s) re-run", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
