"""Obfuscation benchmark of the plagiarism detector (issue 8 item 4): ours against Dolos, copydetect and compare50.

    .venv/bin/python -m bench.plagiarism [--sizes 50,200,1000] [--quick] [--anchors DIR] [--budget 1200]

What it measures
  * Recall per attack at <= 1% false positives. From each independent solution (the non-hostile samples strong,
    average, weak, broken, leaky, cd_src, abs_path and the fixtures below) devtools.synth.transforms.apply_attack
    makes a working copy per attack: rename, reorder, comments_literals, dead_code at 0.25, 0.5, 1 and 2 statements
    per real statement, script_to_notebook and all. Each attack gets its own cohort (the 14 solutions and one copy
    of each), and recall is the share of (solution, copy) pairs scored at or above the tool's operating threshold.
  * False positives on independent solutions of the same task: the bases (less the pairs found to be derived from
    one another, see NON_INDEPENDENT) and bench/plagiarism_fixtures/indep_* (written for this benchmark in other
    styles). A pair's score is its highest over every cohort it appears in. The operating threshold of a tool is
    the lowest score that flags at most 1% of these pairs; recall and the FP rate are also given at the tool's own
    default threshold where it has one (ours: SimilarityConfig.threshold; copydetect: its display threshold 0.33 on
    any file pair; Dolos and compare50 have none: they rank).
  * Wall time and peak memory of one full cohort comparison for N = 50, 200 and 1,000 submissions (copies of the
    bases and fixtures under random attacks). Every tool runs in its own subprocess; peak memory is the larger of
    the process tree's summed RSS polled every 50 ms (psutil) and the ru_maxrss that wait4 reports for the tree.
    A run over the budget (default 20 minutes per tool per N) is killed and shown as "> budget".

Notebook outputs are cleared in every submission (the attacks rewrite code cells but keep the original's stored
outputs, which would hand the raw-.ipynb readers a verbatim match that no rewritten copy would carry); the
plagiarised sample is only used as a known positive (its score against strong) in the clean cohort.

What each tool is fed (per submission; EXPECTED.toml dropped)
  ours        the submission folder (grader.similarity.load_submission: .py files and notebook code cells)
  Dolos       the .py files (Dolos analyses one language per run; it has no notebook support)
  copydetect  the .py files and the raw .ipynb (copydetect reads any extension; no lexer for .ipynb: raw text)
  compare50   the .py files and the raw .ipynb (compare50 takes whole folders; pygments guesses the notebook's lexer)
Anchors' submission-pair score: copydetect and Dolos give per-file-pair coverage; it is lifted to submissions by
bench/plagiarism_anchors/common.py (each file's best-covered tokens against the other submission, both sides,
over all tokens of both); the highest file-pair similarity is the secondary aggregation, printed apart.
compare50 scores submission pairs itself (structure pass), normalised to [0, 1] as a weighted Dice coefficient
(bench/plagiarism_anchors/compare50_runner.py).

The anchors are installed into the anchors folder (default ~/.cache/aie-grader/anchors, never committed) by the
benchmark itself, and only when missing: `npm install @dodona/dolos-lib` (driven by
bench/plagiarism_anchors/dolos_runner.mjs), and `copydetect` and `compare50` from PyPI, each in its own venv.
Results: a table on stdout and bench/results/plagiarism.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_submissions"
FIXTURES = Path(__file__).resolve().parent / "plagiarism_fixtures"
RUNNERS = Path(__file__).resolve().parent / "plagiarism_anchors"
RESULTS = Path(__file__).resolve().parent / "results" / "plagiarism.json"
DEFAULT_ANCHORS = Path.home() / ".cache" / "aie-grader" / "anchors"

BASES = ("strong", "average", "weak", "broken", "leaky", "cd_src", "abs_path")
KNOWN_POSITIVE = ("plagiarised", "strong")  # sample_submissions/plagiarised is an obfuscated copy of strong
# Sample pairs that are not independent solutions (left out of the false-positive set). Decided by reading the code
# and by the four tools' scores of the clean cohort, which the benchmark prints; see the README of the result.
NON_INDEPENDENT: dict[frozenset[str], str] = {
    frozenset(("leaky", "strong")): "leaky is strong rewritten: same modules, names, constants and docstrings",
}
TOOLS = ("ours", "dolos", "copydetect", "compare50")
ATTACKS: tuple[tuple[str, str, dict], ...] = (
    ("rename", "rename", {}),
    ("reorder", "reorder", {}),
    ("comments_literals", "comments_literals", {}),
    ("dead_code 0.25", "dead_code", {"rate": 0.25}),
    ("dead_code 0.5", "dead_code", {"rate": 0.5}),
    ("dead_code 1", "dead_code", {"rate": 1.0}),
    ("dead_code 2", "dead_code", {"rate": 2.0}),
    ("script_to_notebook", "script_to_notebook", {}),
    ("all", "all", {}),
)
QUICK_ATTACKS = ("rename", "dead_code 1", "script_to_notebook", "all")
FP_LIMIT = 0.01
SKIP = {"EXPECTED.toml", "ATTACK.toml", "__pycache__", ".ipynb_checkpoints", "output", ".pytest_cache"}


# ---------------------------------------------------------------------------------------------------------- anchors
def _run(cmd: list[str], cwd: Path | None = None) -> None:
    print("  $", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def install_anchors(anchors: Path) -> None:
    """Install Dolos (library), copydetect and compare50 into `anchors`, skipping whatever is already there."""
    anchors.mkdir(parents=True, exist_ok=True)
    dolos = anchors / "dolos"
    if not (dolos / "node_modules" / "@dodona" / "dolos-lib" / "package.json").exists():
        print(f"installing Dolos (library) into {dolos}", flush=True)
        dolos.mkdir(exist_ok=True)
        (dolos / "package.json").write_text('{"name": "aie-grader-anchor-dolos", "private": true, "type": "module"}\n')
        _run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "@dodona/dolos-lib"], cwd=dolos)
    for tool in ("copydetect", "compare50"):
        venv = anchors / f"{tool}-venv"
        if not (venv / "bin" / "python").exists():
            print(f"creating {venv}", flush=True)
            _run(["python3", "-m", "venv", str(venv)])
        probe = subprocess.run([str(venv / "bin" / "python"), "-c", f"import {tool}"], capture_output=True)
        if probe.returncode != 0:
            print(f"installing {tool} into {venv}", flush=True)
            _run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", tool])


def tool_command(tool: str, anchors: Path, cohort: Path, out: Path) -> list[str]:
    if tool == "ours":
        return [sys.executable, "-m", "bench.plagiarism", "--worker-ours", str(cohort), str(out)]
    if tool == "dolos":
        return ["node", str(RUNNERS / "dolos_runner.mjs"), str(anchors), str(cohort), str(out)]
    return [str(anchors / f"{tool}-venv" / "bin" / "python"), str(RUNNERS / f"{tool}_runner.py"), str(cohort), str(out)]


# --------------------------------------------------------------------------------------------------- measurement
@dataclass
class Run:
    ok: bool
    seconds: float
    peak_mb: float
    timed_out: bool = False
    error: str = ""
    version: str = ""
    variants: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)
    default_scores: dict[tuple[str, str], float] = field(default_factory=dict)
    default_threshold: float | None = None


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str], budget: float, log: Path) -> tuple[bool, float, float, bool, str]:
    """Run cmd in its own session; return (ok, seconds, peak MB, timed out, error tail)."""
    import psutil

    started = time.perf_counter()
    with open(log, "wb") as err:
        popen = subprocess.Popen(cmd, cwd=ROOT, stdout=err, stderr=subprocess.STDOUT, start_new_session=True)
        proc = psutil.Process(popen.pid)
        peak, status, rusage, timed_out = 0, None, None, False
        while True:
            pid, st, ru = os.wait4(popen.pid, os.WNOHANG)
            if pid:
                status, rusage = st, ru
                break
            peak = max(peak, _tree_rss(proc))
            if time.perf_counter() - started > budget:
                timed_out = True
                os.killpg(popen.pid, signal.SIGKILL)
                _, status, rusage = os.wait4(popen.pid, 0)
                break
            time.sleep(0.05)
        popen.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak_mb = max(peak / 2**20, rusage.ru_maxrss / 1024 if rusage else 0.0)
    ok = popen.returncode == 0 and not timed_out
    tail = "" if ok else log.read_text(errors="replace")[-1500:]
    return ok, seconds, peak_mb, timed_out, tail


def files_for(tool: str, sub: Path) -> list[str]:
    suffixes = (".py",) if tool == "dolos" else (".py", ".ipynb")
    return sorted(str(p) for p in sub.rglob("*") if p.is_file() and p.suffix in suffixes
                  and not any(part in SKIP for part in p.relative_to(sub).parts))


def run_tool(tool: str, subs: list[Path], work: Path, anchors: Path, budget: float) -> Run:
    work.mkdir(parents=True, exist_ok=True)
    cohort, out, log = work / f"{tool}-cohort.json", work / f"{tool}-out.json", work / f"{tool}.log"
    if tool == "ours":
        payload = {"submissions": {s.name: str(s) for s in subs}}
    else:
        payload = {"submissions": {s.name: files_for(tool, s) for s in subs}}
        payload["submissions"] = {k: v for k, v in payload["submissions"].items() if v}
    cohort.write_text(json.dumps(payload))
    ok, seconds, peak, timed_out, error = measure(tool_command(tool, anchors, cohort, out), budget, log)
    run = Run(ok=ok, seconds=seconds, peak_mb=peak, timed_out=timed_out, error=error)
    if ok:
        data = json.loads(out.read_text())
        run.version = data.get("version", "")
        run.variants = {name: {_key(a, b): float(s) for a, b, s in rows} for name, rows in data["variants"].items()}
        run.default_scores = {_key(a, b): float(s) for a, b, s in data.get("default_scores", [])}
        run.default_threshold = data.get("default_threshold")
    return run


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def worker_ours(cohort_path: str, out_path: str) -> int:
    """Subprocess side of `ours`: grader.similarity over the cohort's folders."""
    from importlib.metadata import PackageNotFoundError, version

    from grader.similarity import find_similar, load_submission

    subs = json.loads(Path(cohort_path).read_text())["submissions"]
    report = find_similar([load_submission(name, Path(path)) for name, path in subs.items()])
    flagged = {_key(p.a, p.b) for p in report.pairs}
    try:
        ver = version("aie-grader")
    except PackageNotFoundError:
        ver = "working tree"
    default = [[a, b, s if _key(a, b) in flagged else 0.0] for (a, b), s in report.scores.items()]
    Path(out_path).write_text(json.dumps({
        "version": f"grader.similarity ({ver}, {_git_head()})",
        "variants": {"max_containment": [[a, b, s] for (a, b), s in report.scores.items()]},
        "default_scores": default,
        "default_threshold": report.threshold,
    }))
    return 0


def _git_head() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "grader/similarity"], cwd=ROOT, capture_output=True,
                               text=True)
        return head.stdout.strip() + ("+uncommitted grader/similarity" if dirty.stdout.strip() else "")
    except OSError:
        return "?"


# ------------------------------------------------------------------------------------------------------ cohorts
def copy_submission(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=lambda _d, names: [n for n in names if n in SKIP])
    strip_outputs(dest)
    return dest


def strip_outputs(sub: Path) -> None:
    """Clear the stored outputs of every notebook of sub (see the module docstring: code is compared, not plots)."""
    for nb in sub.rglob("*.ipynb"):
        try:
            data = json.loads(nb.read_text(encoding="utf-8"))
            for cell in data.get("cells", []):
                if cell.get("cell_type") == "code":
                    cell["outputs"], cell["execution_count"] = [], None
        except (ValueError, AttributeError, TypeError):
            continue
        nb.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def independent_sources() -> dict[str, Path]:
    out = {name: SAMPLES / name for name in BASES}
    out.update({p.name: p for p in sorted(FIXTURES.glob("indep_*")) if p.is_dir()})
    return out


def attack(src: Path, dest: Path, name: str, rng: random.Random, kw: dict) -> Path:
    from devtools.synth.transforms import apply_attack

    result = Path(apply_attack(src, dest, name, rng, **kw) or dest)
    for junk in ("EXPECTED.toml", "ATTACK.toml"):
        (result / junk).unlink(missing_ok=True)
    strip_outputs(result)
    return result


def broken_python(sub: Path) -> int:
    """How many .py files of sub no longer compile (attacked copies must stay working)."""
    bad = 0
    for p in sub.rglob("*.py"):
        try:
            compile(p.read_bytes(), str(p), "exec")
        except (SyntaxError, ValueError):
            bad += 1
    return bad


# -------------------------------------------------------------------------------------------------- statistics
def operating_threshold(negatives: list[float]) -> float:
    """Lowest score t with #{negatives >= t} <= FP_LIMIT * len(negatives)."""
    allowed = math.floor(FP_LIMIT * len(negatives) + 1e-9)
    ranked = sorted(negatives, reverse=True)
    if allowed >= len(ranked):
        return 0.0
    return math.nextafter(ranked[allowed], math.inf)


def rate(values: list[float], threshold: float) -> float | None:
    return sum(v >= threshold for v in values) / len(values) if values else None


# ---------------------------------------------------------------------------------------------------- main flow
def accuracy_phase(args, work: Path, attacks, log) -> dict:
    sources = independent_sources()
    independents = sorted(sources)
    clean_dir = work / "clean"
    clean = [copy_submission(path, clean_dir / name) for name, path in sources.items()]
    clean.append(copy_submission(SAMPLES / KNOWN_POSITIVE[0], clean_dir / KNOWN_POSITIVE[0]))
    neg_pairs = [_key(a, b) for a, b in combinations(independents, 2) if frozenset((a, b)) not in NON_INDEPENDENT]
    out: dict = {"tools": {}, "independent": independents, "n_negative_pairs": len(neg_pairs),
                 "non_independent": {" ~ ".join(sorted(k)): v for k, v in NON_INDEPENDENT.items()}, "attacks": {}}
    cohorts: dict[str, list[tuple[str, str]]] = {}
    broken: dict[str, int] = {}
    for label, name, kw in attacks:
        adir = work / "attack" / label.replace(" ", "_")
        members = [copy_submission(sources[n], adir / n) for n in independents]
        positives = []
        for i, base in enumerate(independents):
            rng = random.Random(f"{label}:{base}:{i}")
            copy = attack(sources[base], adir / f"{base}__copy", name, rng, kw)
            broken[label] = broken.get(label, 0) + broken_python(copy)
            members.append(copy)
            positives.append(_key(base, copy.name))
        cohorts[label] = positives
        out["attacks"][label] = {"cohort": [m.name for m in members]}
        out["attacks"][label]["uncompilable_py_files"] = broken[label]
    for tool in TOOLS:
        log(f"[accuracy] {tool}: clean cohort ({len(clean)} submissions)")
        run = run_tool(tool, clean, work / "runs" / "clean", args.anchors, args.budget)
        if not run.ok:
            out["tools"][tool] = {"error": run.error[-600:]}
            log(f"  failed: {run.error[-600:]}")
            continue
        variants = list(run.variants)
        neg = {v: {p: run.variants[v].get(p, 0.0) for p in neg_pairs} for v in variants}
        neg_default = {p: run.default_scores.get(p, 0.0) for p in neg_pairs}
        pos: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
        pos_default: dict[str, list[float]] = {}
        for label, _name, _kw in attacks:
            adir = work / "attack" / label.replace(" ", "_")
            members = [adir / n for n in out["attacks"][label]["cohort"]]
            log(f"[accuracy] {tool}: {label} ({len(members)} submissions)")
            arun = run_tool(tool, members, work / "runs" / label.replace(" ", "_"), args.anchors, args.budget)
            if not arun.ok:
                log(f"  failed: {arun.error[-600:]}")
                continue
            for v in variants:
                pos[v][label] = [arun.variants[v].get(p, 0.0) for p in cohorts[label]]
                for p in neg_pairs:  # a pair's negative score is its highest over every cohort it is in
                    neg[v][p] = max(neg[v][p], arun.variants[v].get(p, 0.0))
            pos_default[label] = [arun.default_scores.get(p, 0.0) for p in cohorts[label]]
            for p in neg_pairs:
                neg_default[p] = max(neg_default[p], arun.default_scores.get(p, 0.0))
        entry: dict = {"version": run.version, "primary": variants[0], "variants": {}}
        for v in variants:
            threshold = operating_threshold(list(neg[v].values()))
            entry["variants"][v] = {
                "operating_threshold": threshold,
                "fp_rate": rate(list(neg[v].values()), threshold),
                "max_negative": max(neg[v].values()) if neg[v] else None,
                "top_negatives": sorted(([f"{a} ~ {b}", round(s, 4)] for (a, b), s in neg[v].items()),
                                        key=lambda x: -x[1])[:5],
                "known_positive": run.variants[v].get(_key(*KNOWN_POSITIVE), 0.0),
                "base_matrix": {f"{a} ~ {b}": round(run.variants[v].get(_key(a, b), 0.0), 4)
                                for a, b in combinations(BASES + (KNOWN_POSITIVE[0],), 2)},
                "recall": {label: rate(vals, threshold) for label, vals in pos[v].items()},
                "positive_scores": {label: [round(x, 4) for x in vals] for label, vals in pos[v].items()},
            }
        entry.update(entry["variants"][variants[0]])
        # Default rules: ours flags the pairs it reports (default_scores is 0 for the others) at its threshold;
        # copydetect shows a file pair when either file's similarity exceeds its display threshold 0.33.
        default_t = run.default_threshold if tool == "ours" else (0.33 if tool == "copydetect" else None)
        if default_t is not None:
            entry["default_threshold"] = default_t
            strict = tool == "copydetect"

            def flag(x: float, t: float = default_t, strict: bool = strict) -> bool:
                return x > t if strict else x >= t
            entry["fp_rate_default"] = sum(map(flag, neg_default.values())) / len(neg_default)
            entry["recall_default"] = {k: sum(map(flag, vals)) / len(vals) for k, vals in pos_default.items()}
        out["tools"][tool] = entry
    return out


def build_scale_cohort(work: Path, n: int, seed: int, attacks, log) -> list[Path]:
    sources = independent_sources()
    names = sorted(sources)
    rng = random.Random(seed)
    cohort_dir = work / "scale"
    subs = []
    started = time.perf_counter()
    for i in range(n):
        src = names[i] if i < len(names) else rng.choice(names)
        dest = cohort_dir / f"s{i:04d}_{src}"
        if i < len(names):
            subs.append(copy_submission(sources[src], dest))
            continue
        label, name, kw = rng.choice(attacks)
        if name == "dead_code":
            kw = {"rate": rng.choice((0.25, 0.5, 1.0, 2.0))}
        subs.append(attack(sources[src], dest, name, random.Random(seed * 100003 + i), kw))
        if (i + 1) % 100 == 0:
            log(f"  built {i + 1}/{n} ({time.perf_counter() - started:.0f}s)")
    return subs


def scale_phase(args, work: Path, attacks, log) -> dict:
    sizes = sorted(args.sizes)
    log(f"[scale] building a cohort of {sizes[-1]} submissions")
    everyone = build_scale_cohort(work, sizes[-1], args.seed, attacks, log)
    out: dict = {}
    for tool in args.scale_tools.split(","):
        out[tool] = {}
        over = None
        for n in sizes:
            if over is not None:
                out[tool][str(n)] = {"status": "> budget", "note": f"not run: over budget at N={over}"}
                continue
            log(f"[scale] {tool}: N={n}")
            run = run_tool(tool, everyone[:n], work / "runs" / f"scale-{n}", args.anchors, args.budget)
            status = "ok" if run.ok else ("> budget" if run.timed_out else "failed")
            primary = next(iter(run.variants.values()), {})
            out[tool][str(n)] = {"status": status, "seconds": round(run.seconds, 2), "peak_mb": round(run.peak_mb, 1),
                                 "pairs_scored": len(primary)}
            if not run.ok and not run.timed_out:
                out[tool][str(n)]["error"] = run.error[-600:]
            log(f"  {status}: {run.seconds:.1f}s, {run.peak_mb:.0f} MB")
            if run.timed_out:
                over = n
    return out


# ------------------------------------------------------------------------------------------------------- output
def _fmt(v, digits=2) -> str:
    if v is None:
        return "n/a"
    return f"{v:.{digits}f}"


def render(result: dict) -> str:
    acc, scale = result["accuracy"], result.get("scale", {})
    head = ["", *TOOLS]
    rows: list[list[str]] = []
    tools = acc["tools"]
    rows.append(["recall at <=1% FP (at default thr.)", "", "", "", ""])
    for label in result["attacks"]:
        row = [f"  {label}"]
        for t in TOOLS:
            e = tools.get(t, {})
            if "recall" not in e:
                row.append("error")
                continue
            cell = _fmt(e["recall"].get(label))
            if "recall_default" in e:
                cell += f" ({_fmt(e['recall_default'].get(label))})"
            row.append(cell)
        rows.append(row)
    rows.append([f"FP rate, {acc['n_negative_pairs']} indep. pairs (default)"] + [
        (_fmt(tools[t]["fp_rate"], 3) + (f" ({_fmt(tools[t]['fp_rate_default'], 3)})"
                                          if "fp_rate_default" in tools[t] else "")) if "fp_rate" in tools.get(t, {})
        else "error" for t in TOOLS])
    rows.append(["operating threshold"] + [_fmt(tools.get(t, {}).get("operating_threshold"), 3) for t in TOOLS])
    rows.append(["default threshold"] + [_fmt(tools.get(t, {}).get("default_threshold"), 2) for t in TOOLS])
    rows.append(["highest independent-pair score"] + [_fmt(tools.get(t, {}).get("max_negative"), 3) for t in TOOLS])
    rows.append(["plagiarised ~ strong score"] + [_fmt(tools.get(t, {}).get("known_positive"), 3) for t in TOOLS])
    for n in result.get("sizes", []):
        for what, key, digits in (("time (s)", "seconds", 1), ("peak memory (MB)", "peak_mb", 0)):
            row = [f"{what}, N={n}"]
            for t in TOOLS:
                e = scale.get(t, {}).get(str(n))
                if e is None:
                    row.append("n/a")
                elif e["status"] == "ok":
                    row.append(_fmt(e[key], digits))
                else:
                    row.append(e["status"])
            rows.append(row)
    return _table(head, rows)


def render_secondary(result: dict) -> str:
    """Recall and FP of the anchors' other aggregations (same runs, other submission-pair score)."""
    tools = result["accuracy"]["tools"]
    cols = [(t, v) for t in TOOLS for v in tools.get(t, {}).get("variants", {}) if v != tools[t]["primary"]]
    if not cols:
        return ""
    head = ["", *[f"{t} {v}" for t, v in cols]]
    rows = [[f"  {label}", *[_fmt(tools[t]["variants"][v]["recall"].get(label)) for t, v in cols]]
            for label in result["attacks"]]
    for what, key, digits in (("FP rate", "fp_rate", 3), ("operating threshold", "operating_threshold", 3),
                              ("plagiarised ~ strong score", "known_positive", 3)):
        rows.append([what, *[_fmt(tools[t]["variants"][v][key], digits) for t, v in cols]])
    return _table(head, rows)


def render_samples(result: dict) -> str:
    """Primary score of every pair of samples (to judge which samples are independent)."""
    tools = result["accuracy"]["tools"]
    ok = [t for t in TOOLS if "base_matrix" in tools.get(t, {})]
    pairs = list(tools[ok[0]]["base_matrix"]) if ok else []
    rows = [[p, *[_fmt(tools[t]["base_matrix"][p], 3) for t in ok]] for p in pairs]
    return _table(["sample pair", *ok], rows)


def _table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    line = "+".join("-" * (w + 2) for w in widths)
    text = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), line]
    text += [" | ".join((c.ljust(w) if i == 0 else c.rjust(w)) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    return "\n".join(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000", help="cohort sizes for time and memory")
    parser.add_argument("--quick", action="store_true", help="N=50 only and fewer attacks (smoke run)")
    parser.add_argument("--anchors", type=Path, default=DEFAULT_ANCHORS, help="scratch folder for the anchors")
    parser.add_argument("--budget", type=float, default=1200.0, help="seconds per tool per run before '> budget'")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated cohorts here")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--skip-scale", action="store_true", help="accuracy only")
    parser.add_argument("--scale-tools", default=",".join(TOOLS), help="tools timed in the scale phase (default all)")
    parser.add_argument("--worker-ours", nargs=2, metavar=("COHORT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_ours:
        return worker_ours(*args.worker_ours)
    args.sizes = [50] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    args.anchors = args.anchors.expanduser().resolve()
    attacks = [a for a in ATTACKS if a[0] in QUICK_ATTACKS] if args.quick else list(ATTACKS)
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {msg}", file=sys.stderr, flush=True)

    install_anchors(args.anchors)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="aie-plagiarism-"))
    if work.exists() and any(work.iterdir()):
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = {"attacks": [a[0] for a in attacks], "sizes": [] if args.skip_scale else args.sizes,
                  "budget_s": args.budget, "fp_limit": FP_LIMIT}
        result["accuracy"] = accuracy_phase(args, work, attacks, log)
        if not args.skip_scale:
            result["scale"] = scale_phase(args, work, attacks, log)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    result["versions"] = {t: result["accuracy"]["tools"].get(t, {}).get("version", "?") for t in TOOLS}
    result["fed"] = {
        "ours": "submission folder (grader.similarity.load_submission: .py + notebook code cells)",
        "dolos": ".py files only (one language per run; .ipynb unsupported); per-file-pair coverage, token-weighted",
        "copydetect": ".py + raw .ipynb (no lexer for .ipynb: raw text); per-file-pair coverage, token-weighted",
        "compare50": ".py + raw .ipynb, structure pass; submission score normalised as a weighted Dice coefficient",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print("primary scores of the sample pairs (independence check):")
    print(render_samples(result))
    print()
    print(render(result))
    print("\ncells: value at the operating threshold (<= 1% FP on independent pairs); in brackets, at the tool's "
          "default threshold (copydetect: a file pair above 0.33; ours: the pairs it reports)")
    print("non-independent sample pairs left out of the FP set: "
          + "; ".join(f"{k}: {v}" for k, v in result["accuracy"]["non_independent"].items()))
    for t in TOOLS:
        print(f"{t:10} {result['versions'][t]}  fed: {result['fed'][t]}")
    secondary = render_secondary(result)
    if secondary:
        print("\nthe anchors' other aggregation of file pairs (same runs):")
        print(secondary)
    broken = {k: v["uncompilable_py_files"] for k, v in result["accuracy"]["attacks"].items()
              if v["uncompilable_py_files"]}
    if broken:
        print(f"attacked copies with .py files that no longer compile: {broken}")
    print(f"JSON: {args.out}  ({time.perf_counter() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
