"""What runs after every check: where two phases' evidence of the same thing differ, reconcile them.

The static reading and the traced run of the pipeline may disagree (DYN001 says so), and the notebook's
re-execution (NBK001) corrects what EDA001/EDA002 counted from its stored outputs.
"""

from __future__ import annotations

from checks.base import ERROR, NOT_APPLICABLE, OK, Evidence
from checks.eda import plot_evidence, statistics_evidence


def reconcile_evidence(found: dict[str, Evidence]) -> list[str]:
    """Reconcile the evidence of every check in place, in order: the trace, then the notebook's re-execution."""
    return reconcile_with_trace(found) + reconcile_with_reexecution(found)


# ---------------------------------------------------------------- the static reading against the traced run

AGREEMENT = (
    ("PRE002", "leaks", "leak_fits", "a transformer fitted before the split"),
    ("SPL001", "split", "splits", "a train/test split"),
)


def reconcile_with_trace(evidence: dict[str, Evidence]) -> list[str]:
    """Where the static reading and the traced run disagree, say so on DYN001 (and return the notes)."""
    flow = evidence.get("DYN001")
    if flow is None or not _trace_complete(flow, evidence.get("RUN001")):
        return []  # a run that stopped early, or escaped the tracer, has a partial trace: its silence proves nothing
    notes = []
    for agreement in AGREEMENT:
        note = _disagreement(evidence, flow, *agreement)
        if note:
            notes.append(note)
    fea = evidence.get("FEA001")
    if fea is not None and fea.status == OK and flow.metrics.get("engineered_in_final") == 0 \
            and (fea.metrics.get("derived_features") or 0) > 0:
        notes.append("static and dynamic evidence disagree on feature engineering: the code derives features, "
                     "but none of them reached the final model's input")
    flow.findings.extend(notes)
    flow.data["disagreements"] = notes
    return notes


def _trace_complete(flow: Evidence, run: Evidence | None) -> bool:
    """The traced run went to its end (the evidence run succeeded) and nothing escaped the tracer."""
    return flow.status == OK and run is not None and bool(run.metrics.get("evidence_succeeded")) \
        and flow.metrics.get("trace_verified") is not False


def _disagreement(evidence: dict[str, Evidence], flow: Evidence, code: str, static_metric: str,
                  dynamic_metric: str, what: str) -> str | None:
    """The note when a static check and the traced run see `what` differently, else None."""
    static = evidence.get(code)
    if static is None or static.status != OK or static_metric not in static.metrics:
        return None
    seen_static = bool(static.metrics[static_metric])
    seen_dynamic = bool(flow.metrics.get(dynamic_metric))
    if seen_static == seen_dynamic:
        return None
    return (f"static and dynamic evidence disagree on {what}: {code} says "
            f"{'yes' if seen_static else 'no'}, the traced run says {'yes' if seen_dynamic else 'no'}")


# ---------------------------------------------------------------- the re-execution corrects the stored outputs

UNCONFIRMED = "stored outputs, not confirmed by re-execution"
UNCONFIRMED_CONFIDENCE = 0.5  # factor on a check's confidence when some of what it counted is unconfirmed
FAILED = ("error", "timeout")
MAX_DROPPED_LISTED = 10


def _reproduced(code: str, fresh_kinds: list[str]) -> bool:
    """Did the re-executed cell produce what the check counted: an image for EDA001, any output for EDA002?"""
    return "image" in fresh_kinds if code == "EDA001" else bool(set(fresh_kinds) - {"error"})


def _cell_verdicts(code: str, counted: list[dict], nbk: Evidence) -> dict[int, str]:
    """Cell number -> "" (confirmed), "unconfirmed", or why its stored output does not count."""
    rows = {row["cell"]: row for row in nbk.data.get("cells", []) if isinstance(row, dict) and "cell" in row}
    kernel_died = "kernel died" in str(nbk.data.get("kernel_error") or "")
    verdicts = {}
    for cell in counted:
        row = rows.get(cell["cell"])
        if row is None:
            verdicts[cell["cell"]] = "unconfirmed"
        elif row["status"] in FAILED:
            verdicts[cell["cell"]] = f"fails when re-executed ({row.get('error') or row['status']})"
        elif row["status"] == "not_run":
            verdicts[cell["cell"]] = "never reached: the kernel died earlier" if kernel_died else "unconfirmed"
        elif not _reproduced(code, list(row.get("fresh_kinds") or ())):
            verdicts[cell["cell"]] = "ran, but re-executed it does not produce this output"
        else:
            verdicts[cell["cell"]] = ""
    return verdicts


def _unconfirmed_reason(nbk: Evidence | None, notebook: str) -> str | None:
    """Why no cell of `notebook` was confirmed by a re-execution, or None when one ran over it."""
    if nbk is None or nbk.status == NOT_APPLICABLE:
        return "the notebook was not re-executed"
    if nbk.status == ERROR:
        return f"the re-execution failed on the grader's side ({nbk.summary})"
    if not nbk.metrics.get("reexecuted") or not isinstance(nbk.data.get("cells"), list):
        return f"the re-execution did not finish ({nbk.summary})"
    if nbk.data.get("notebook") != notebook:
        return f"the re-execution ran {nbk.data.get('notebook')}, not {notebook}"
    return None


def _adjust(evidence: Evidence, nbk: Evidence | None) -> str | None:
    """Drop the cells the re-execution refutes from one EDA check's data, recompute it; the note, if any."""
    data = evidence.data
    reason, dropped, unconfirmed = _judge(evidence, nbk)
    before = {k: evidence.metrics[k] for k in ("plots", "relationship_plots", "plot_kinds", "stat_kinds")
              if k in evidence.metrics}
    data["cells"] = [c for c in data["cells"] if c["cell"] not in dropped]
    data["reexecution"] = {"stored_metrics": before, "dropped": {str(n): why for n, why in dropped.items()},
                           "unconfirmed": unconfirmed, "reason": reason or ""}
    (plot_evidence if evidence.code == "EDA001" else statistics_evidence)(evidence)
    evidence.metrics["confirmed_by_reexecution"] = not unconfirmed
    _say_dropped(evidence, dropped)
    if unconfirmed:
        why = reason or f"the re-execution did not reach cells {', '.join(map(str, unconfirmed[:10]))}"
        evidence.summary += f"; {UNCONFIRMED} ({why})"
        evidence.findings.append(f"{UNCONFIRMED}: {len(unconfirmed)} cell(s) counted from the stored notebook ({why})")
        evidence.confidence = round(evidence.confidence * UNCONFIRMED_CONFIDENCE, 2)
    return evidence.summary if dropped or unconfirmed else None


def _judge(evidence: Evidence, nbk: Evidence | None) -> tuple[str | None, dict[int, str], list[int]]:
    """(why nothing is confirmed or None, cell -> why its output does not count, cells counted unconfirmed)."""
    counted = evidence.data["cells"]
    reason = _unconfirmed_reason(nbk, evidence.data["notebook"])
    verdicts = {c["cell"]: "unconfirmed" for c in counted} if reason else _cell_verdicts(evidence.code, counted, nbk)
    dropped = {n: why for n, why in verdicts.items() if why and why != "unconfirmed"}
    return reason, dropped, sorted(n for n, why in verdicts.items() if why == "unconfirmed")


def _say_dropped(evidence: Evidence, dropped: dict[int, str]) -> None:
    """One finding per cell whose stored output no longer counts (capped), and a word in the summary."""
    for number, why in sorted(dropped.items())[:MAX_DROPPED_LISTED]:
        evidence.findings.append(f"{evidence.data['notebook']}, cell {number}: its stored output is not counted: "
                                 f"it {why}")
    if len(dropped) > MAX_DROPPED_LISTED:
        evidence.findings.append(f"{len(dropped) - MAX_DROPPED_LISTED} more cells' stored outputs are not counted")
    if dropped:
        evidence.summary += f"; {len(dropped)} cell(s) not counted: not reproduced when the notebook was re-executed"


CELL_FIELDS = {"EDA001": {"cell": int, "images": int, "relates": bool, "kinds": list, "first": str},
               "EDA002": {"cell": int, "stats": list}}


def _well_formed(evidence: Evidence) -> bool:
    """The per-cell data has the shape the checks write (static evidence may come back from a sandbox)."""
    data = evidence.data
    fields = CELL_FIELDS[evidence.code]
    cells_ok = isinstance(data.get("notebook"), str) and all(
        isinstance(c, dict) and all(isinstance(c.get(k), t) for k, t in fields.items()) for c in data["cells"])
    if evidence.code == "EDA002":
        return cells_ok and isinstance(data.get("explained_cells"), int) and isinstance(data.get("markdown"), list) \
            and isinstance(data.get("explanation_words"), int)
    return cells_ok


def reconcile_with_reexecution(found: dict[str, Evidence]) -> list[str]:
    """Let NBK001's re-execution correct EDA001/EDA002, read from stored outputs; returns what changed.

    Outputs of cells that fail (or do not produce them) when re-executed do not count; when no re-execution
    confirmed them (none ran, the kernel failed, it was switched off) they count with a lower confidence.
    """
    nbk = found.get("NBK001")
    notes = []
    for code in ("EDA001", "EDA002"):
        evidence = found.get(code)
        if evidence is None or evidence.status != OK or not isinstance(evidence.data.get("cells"), list) \
                or "reexecution" in evidence.data:  # not measured, or already reconciled
            continue
        if not _well_formed(evidence):
            evidence.status, evidence.confidence = ERROR, 0.0
            evidence.summary = f"{code}'s per-cell data is malformed: the grader cannot use it"
            notes.append(evidence.summary)
            continue
        note = _adjust(evidence, nbk)
        if note:
            notes.append(f"{code}: {note}")
    return notes
