"""Write a rater's RUN_LOG.md from a grading's report.json: only what the assessors' own run shows.

The blind raters of the calibration corpus see the submission and its run log, never the grader's
levels, rules or evidence. This keeps the run facts (commands, exit codes, output tails, the
notebook's fresh re-execution per cell, the held-out score the assessors' scoring script computes)
and drops everything else.

    python bench/corpus_runlog.py REPORT.json OUT.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LABELS = {
    "submitted run": "`bash run.sh` as submitted (data at data/, held-out rows at data/holdout.db)",
}


def _tail(text: str, limit: int = 4000) -> str:
    text = text or ""
    return text if len(text) <= limit else "[... earlier output cut ...]\n" + text[-limit:]


def _assessor_words(note: str) -> str:
    return (note.replace("by the grader", "by the assessors").replace("the grader installs", "the assessors install")
            .replace("the grader", "the assessors"))


def _notebook_cells(stdout: str) -> list[str]:
    for line in (stdout or "").splitlines():
        if line.startswith("AIE-NBRUN "):
            cells = json.loads(line[len("AIE-NBRUN "):]).get("cells", [])
            return [f"- cell {c['cell']}: {c['status']}" + (f" ({c['error']})" if c.get("error") else "")
                    for c in cells]
    return []


def _run_section(run: dict) -> list[str]:
    label = run["label"]
    out = [f"## {LABELS.get(label, label)}", "",
           f"exit code {run.get('exit_code')}, {run.get('status')}, {run.get('duration_s')} s"
           + (", timed out" if run.get("timed_out") else "") + (", out of memory" if run.get("oom_killed") else ""),
           f"files written to output/: {', '.join(run.get('output_files') or []) or 'none'}", ""]
    out += [f"Note: {_assessor_words(note)}" for note in run.get("notes") or []] + ([""] if run.get("notes") else [])
    if label.startswith("notebook"):
        cells = _notebook_cells(run.get("stdout_tail", ""))
        out += ["Fresh top-to-bottom re-execution of eda.ipynb, per code cell:", *cells, ""]
        if run.get("stderr_tail"):
            out += ["stderr:", "```", _tail(run["stderr_tail"], 1500), "```", ""]
        return out
    for stream in ("stdout_tail", "stderr_tail"):
        if run.get(stream):
            out += [f"{stream.split('_')[0]}:", "```", _tail(run[stream]), "```", ""]
    return out


def _heldout_section(heldout: dict) -> list[str]:
    if not heldout:
        return []
    lines = ["## Held-out score (the assessors' scoring script on data/holdout.db)", ""]
    if not heldout.get("valid"):
        return lines + ["No valid predictions: " + "; ".join(heldout.get("problems") or ["none written"]), ""]
    metrics = ", ".join(f"{k} {v}" for k, v in heldout.get("metrics", {}).items())
    lines.append(f"{metrics}")
    for name, values in heldout.get("baselines", {}).items():
        if name != "reference":
            lines.append(f"- trivial baseline {name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
    return lines + [""]


def run_log(report: dict) -> str:
    lines = ["# Run log", "",
             "What the assessors saw when they ran the submission: `pip install -r requirements.txt` in a fresh",
             "environment, the data at the paper's path, `bash run.sh` from the root. Then the robustness probes",
             "(the same run with a broken input each: an empty table, a missing database, text in a numeric column,",
             "an unseen category) and a fresh re-execution of the notebook.", ""]
    for run in report.get("runs", []):
        lines += _run_section(run)
    lines += _heldout_section(report.get("heldout") or {})
    return "\n".join(lines)


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(run_log(json.loads(Path(sys.argv[1]).read_text())), encoding="utf-8")
