"""`grader batch`: grade a cohort in parallel, resumable, then write the cohort's views (SPEC §8, §10)."""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from grader.batch.ids import assign_ids
from grader.batch.sources import Candidate, discover
from grader.batch.store import ResultStore, cache_key, content_hash, grader_fingerprint
from grader.batch.task import GRADER_ERROR, GradeTask, TaskOutcome, pack_hash
from grader.packs import Pack
from grader.reports.cohort import Row
from grader.reports.overrides import OVERRIDES_FILE, OverrideError, finalize, load_overrides, split_overrides
from grader.reports.writers import write_cohort_views, write_grading_files
from grader.rubric import load_rubric
from grader.run.dynamic import DynamicOptions

REPORT = "report.json"


@dataclass
class BatchResult:
    """What one `grader batch` did: every row of the cohort, and how many were graded now, reused or failed."""

    rows: list[Row]
    graded_now: int = 0
    reused: int = 0
    failed: int = 0
    wall_s: float = 0.0
    cleaned: int = 0
    similarity: dict | None = None
    pruned: tuple[int, int] = (0, 0)  # requirement layers removed from this machine's cache, bytes freed


def prune_requirements(options: DynamicOptions, max_mb: int) -> tuple[int, int]:
    """Keep this machine's cache of candidates' requirement layers under max_mb (least recently used go first)."""
    from grader.run.requirements import prune_cache
    from sandbox.cache import cache_root as _cache_root

    return prune_cache(options.cache_dir or (_cache_root() / "requirements"), max_mb * 1_000_000)


def options_key(options: DynamicOptions, backend: str) -> str:
    """The grading options that change a result, as part of the cache key."""
    data = asdict(options)
    data.pop("cache_dir", None)
    data.pop("probe_jobs", None)  # how many probes run at once changes nothing in the result
    return json.dumps({"backend": backend, **data}, sort_keys=True, default=str)


def _read_report(folder: Path) -> dict | None:
    try:
        return json.loads((folder / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _row_from_store(store: ResultStore, cand: Candidate, record: dict, cached: bool) -> Row:
    folder = store.folder(cand.id)
    report = _read_report(folder)
    return Row(cand.id, str(cand.location), record.get("outcome", GRADER_ERROR), error=record.get("error"),
               report=report, report_path=f"submissions/{cand.id}/report.html" if report else None,
               wall_s=record.get("wall_s"), pipeline_s=record.get("pipeline_s"), cached=cached)


def _own_overrides(old: Path, source: str) -> bytes | None:
    """The overrides.json of the candidate's previous folder, unless that folder was another source's."""
    path = old / OVERRIDES_FILE
    if not path.is_file():
        return None
    try:
        owner = json.loads((old / "batch.json").read_text(encoding="utf-8")).get("source")
    except (OSError, ValueError, AttributeError):
        owner = None
    return None if owner and owner != source else path.read_bytes()


def _adopt(stage: Path, old: Path, source: str) -> None:
    """Make a staged result this candidate's own (issue 13): its source in report.json, and its own overrides only.

    A copied twin's overrides and final scores are the twin's and go. The assessor's overrides of this candidate's
    previous grading follow the new one (stale if the submission changed).
    """
    (stage / OVERRIDES_FILE).unlink(missing_ok=True)
    carried = _own_overrides(old, source)
    if carried is not None:
        (stage / OVERRIDES_FILE).write_bytes(carried)
    report = _read_report(stage)
    if report is None:
        return
    if source:
        report["submission"]["source_id"] = source
    rerender = report.pop("final", None) is not None
    if carried is not None and report.get("status") == "graded":
        try:
            own, _ = split_overrides(report, load_overrides(stage))
        except OverrideError:
            own = []  # kept as the assessor wrote it; `grader finalize` names the problem
        if own:
            report = finalize(report, own)
            rerender = True
    write_grading_files(report, stage, only=None if rerender else (REPORT,))


class Batch:
    """One batch run over a cohort: plan (what is cached), grade the rest, commit each result as it arrives."""

    def __init__(self, out: Path, pack: Pack, pack_spec: str | None, backend: str, options: DynamicOptions,
                 keep_code: bool = True) -> None:
        self.keep_code = keep_code
        self.store = ResultStore(out)
        self.out = out
        self.pack = pack
        self.pack_spec = pack_spec
        self.backend = backend
        self.options = options
        self.pack_hash = pack_hash(pack)
        self.fingerprint = grader_fingerprint()
        self.options_key = options_key(options, backend)
        self.rubric = load_rubric()

    def plan(self, candidates: list[Candidate]) -> tuple[list[Row], list[GradeTask], dict[str, Candidate]]:
        """Rows already final (cached, or rejected before grading) and the tasks still to run."""
        rows: list[Row] = []
        tasks: list[GradeTask] = []
        by_key: dict[str, Path] = {}
        for record_path in self.store.submissions.glob("*/batch.json"):
            try:
                record = json.loads(record_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if record.get("outcome") != GRADER_ERROR:
                by_key.setdefault(record.get("key", ""), record_path.parent)
        for cand in candidates:
            if cand.problem:
                rows.append(Row(cand.id, str(cand.location), "rejected", error=cand.problem))
                continue
            key = cache_key(content_hash(cand.location), self.pack_hash, self.fingerprint, self.options_key)
            record = self.store.record(cand.id)
            if record and record.get("key") == key and record.get("outcome") != GRADER_ERROR:
                rows.append(_row_from_store(self.store, cand, record, cached=True))
                continue
            twin = by_key.get(key)
            if twin is not None and twin.name != cand.id:  # identical content already graded under another id
                record = json.loads((twin / "batch.json").read_text(encoding="utf-8"))
                record.update(candidate=cand.id, location=str(cand.location), copied_from=twin.name,
                              source=cand.source)
                self.store.commit(cand.id, None, record, copy_from=twin, prepare=self._prepare(cand))
                rows.append(_row_from_store(self.store, cand, record, cached=True))
                continue
            tasks.append(GradeTask(cand.id, str(cand.location.resolve()), key, self.pack_spec, self.pack_hash,
                                   self.backend, self.options, keep_code=self.keep_code))
        return rows, tasks, {c.id: c for c in candidates}

    def bind_ids(self, candidates: list[Candidate]) -> list[Candidate]:
        """Each entry keeps the id of its earlier runs; a newcomer never takes another source's id (issue 13)."""
        bound, claimed = assign_ids(candidates, self.store.records())
        for ident, source in claimed.items():  # a folder from before sources were recorded: record its owner now
            if source:
                self.store.update_record(ident, source=source)
        return bound

    def _prepare(self, cand: Candidate) -> Callable[[Path], None]:
        old = self.store.folder(cand.id)
        return lambda stage: _adopt(stage, old, cand.source)

    def commit(self, outcome: TaskOutcome, cand: Candidate) -> Row:
        """Write one finished grading into OUT atomically and return its row."""
        record = {"key": outcome.key, "candidate": outcome.candidate, "location": str(cand.location),
                  "source": cand.source,
                  "outcome": outcome.outcome, "error": outcome.error, "host": outcome.host,
                  "wall_s": outcome.wall_s, "pipeline_s": outcome.pipeline_s,
                  "skipped_files": outcome.skipped_files, "warnings": outcome.warnings,
                  "grader": self.fingerprint, "pack": self.pack.id, "pack_hash": self.pack_hash,
                  "options": json.loads(self.options_key),
                  "finished_at": datetime.now(UTC).isoformat(timespec="seconds")}
        files = outcome.files
        extra = {"code.json": outcome.code} if outcome.code is not None else {}
        self.store.commit(outcome.candidate, files, record, extra_json=extra, prepare=self._prepare(cand))
        return _row_from_store(self.store, cand, record, cached=False)

    def settle(self, outcome: TaskOutcome, cand: Candidate, on_event: Callable[[str, object], None]) -> Row:
        """Commit one outcome and report it. A failure of either is this submission's grader error (retried by
        the next run, like any grader error), never the end of the batch."""
        try:
            row = self.commit(outcome, cand)
            on_event("graded", row)
            return row
        except Exception as exc:  # noqa: BLE001 - one submission's result must not stop the cohort
            detail = "".join(traceback.format_exception(exc)[-4:])
            error = f"grader failure while recording or reporting the result: {exc!r}\n{detail}"
        if (self.store.record(cand.id) or {}).get("key") == outcome.key:  # committed: make the next run regrade it
            self.store.update_record(cand.id, outcome=GRADER_ERROR, error=error)
        row = Row(cand.id, str(cand.location), GRADER_ERROR, error=error, wall_s=outcome.wall_s)
        try:
            on_event("graded", row)
        except Exception:  # noqa: BLE001 - the row is in summary.csv and cohort.html all the same
            pass
        return row

    def write_views(self, rows: list[Row], similarity: dict | None) -> None:
        write_cohort_views(rows, self.rubric, similarity, self.out, self.pack.title, dict(self.pack.reference))


def run_batch(src: Path, out: Path, pack: Pack, pack_spec: str | None, backend: str, options: DynamicOptions,
              executor, exclude: tuple[str, ...] = (), on_event: Callable[[str, object], None] = lambda *_: None,
              similarity: bool = True, corpus: Path | None = None,
              prune_requirements_mb: int | None = None) -> BatchResult:
    """Grade every submission of SRC not already graded under the same key; commit each as it finishes."""
    started = time.monotonic()
    batch = Batch(out, pack, pack_spec, backend, options, keep_code=similarity)
    candidates = batch.bind_ids(discover(src, exclude))
    cleaned = batch.store.clean_staging()
    rows, tasks, by_id = batch.plan(candidates)
    result = BatchResult(rows, reused=sum(1 for r in rows if r.cached), cleaned=cleaned)
    on_event("planned", {"total": len(candidates), "to_grade": len(tasks), "reused": result.reused,
                         "rejected": sum(1 for r in rows if r.status == "rejected"), "cleaned": cleaned})
    batch.write_views(rows, None)
    for outcome in executor.run(tasks):
        row = batch.settle(outcome, by_id[outcome.candidate], on_event)
        rows.append(row)
        result.graded_now += 1
        result.failed += row.status == GRADER_ERROR
        # a killed batch still leaves a current table
        write_cohort_views(rows, batch.rubric, None, out, only=("summary.csv",))
    if similarity:
        on_event("similarity", None)
        from grader.batch.cohort_similarity import annotate_cohort

        result.similarity = annotate_cohort(batch.store, rows, pack, corpus)
    batch.write_views(rows, result.similarity)
    if prune_requirements_mb is not None:
        result.pruned = prune_requirements(options, prune_requirements_mb)
    result.wall_s = round(time.monotonic() - started, 3)
    result.failed = sum(1 for r in rows if r.status in (GRADER_ERROR, "rejected"))
    return result
