"""Cohort similarity through an inverted index fingerprint → submissions: work grows with the shared fingerprints,
never with the number of pairs of submissions."""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from grader.similarity.extract import SubmissionCode
from grader.similarity.fingerprints import Fingerprints, fingerprint_submission
from grader.similarity.fragments import build_fragments
from grader.similarity.model import Pair, SimilarityConfig, SimilarityReport

_PARALLEL_MIN_LINES = 150_000  # below this, process start-up costs more than it saves
_COMPACT_EVERY = 2_000_000  # pair entries gathered before they are summed


def _worker_init() -> None:
    gc.disable()  # ASTs have no reference cycles; the collector only slows the parse down


def fingerprint_all(submissions: Sequence[SubmissionCode], config: SimilarityConfig) -> list[Fingerprints]:
    """Fingerprints of every submission, in processes when the cohort is large."""
    job = functools.partial(fingerprint_submission, k=config.k, window=config.window, dead_code=config.dead_code)
    workers = config.workers
    if workers <= 0:
        total_lines = sum(s.lines for s in submissions)
        workers = min(os.cpu_count() or 1, 8) if total_lines >= _PARALLEL_MIN_LINES else 1
    if workers > 1 and len(submissions) >= 2 * workers:
        try:
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
            chunk = max(1, min(32, len(submissions) // (workers * 4)))
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init) as pool:
                return list(pool.map(job, submissions, chunksize=chunk))
        except (OSError, RuntimeError, ImportError, PermissionError):
            pass  # no processes here (sandbox, frozen app): do it in this one
    return [job(submission) for submission in submissions]


class _PairCounter:
    """Sums (pair key → shared fingerprints) from many numpy batches with bounded memory."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self.pending: list[np.ndarray] = []
        self.pending_size = 0
        self.entries = 0

    def add(self, keys: np.ndarray) -> None:
        self.pending.append(keys)
        self.pending_size += len(keys)
        self.entries += len(keys)
        if self.pending_size >= _COMPACT_EVERY:
            self._compact()

    def _compact(self) -> None:
        if not self.pending:
            return
        new_keys, new_counts = np.unique(np.concatenate(self.pending), return_counts=True)
        self.pending, self.pending_size = [], 0
        keys = np.concatenate([self.keys, new_keys])
        unique, inverse = np.unique(keys, return_inverse=True)
        weights = np.concatenate([self.counts, new_counts])
        self.keys = unique
        self.counts = np.bincount(inverse, weights=weights, minlength=len(unique)).astype(np.int64)

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        self._compact()
        return self.keys, self.counts


@dataclass
class _Index:
    """The inverted index after common and template fingerprints are dropped: rows of hashes shared by 2+ owners."""

    hashes: np.ndarray
    owners: np.ndarray
    row_sizes: np.ndarray
    kept_per_submission: np.ndarray
    excluded_hashes: np.ndarray
    excluded_count: int
    limit: int


def _group_rows(prints: Sequence[Fingerprints]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows (hash, submission) sorted by hash, owners ascending within a hash; each hash group's start and size."""
    hashes = np.concatenate([fp.distinct for fp in prints]) if prints else np.zeros(0, dtype=np.uint64)
    owners = np.concatenate([np.full(len(fp.distinct), i, dtype=np.int32) for i, fp in enumerate(prints)]) if prints \
        else np.zeros(0, dtype=np.int32)
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    del order
    starts = np.concatenate([[0], np.flatnonzero(hashes[1:] != hashes[:-1]) + 1]) if hashes.size else np.zeros(0, int)
    sizes = np.diff(np.concatenate([starts, [hashes.size]])) if hashes.size else np.zeros(0, int)
    return hashes, owners, starts, sizes


def _common_groups(
    hashes: np.ndarray, owners: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n_cohort: int, n_corpus: int,
    template_prints: Sequence[Fingerprints], config: SimilarityConfig,
) -> tuple[np.ndarray, int]:
    """Hash groups to leave out: template code, and hashes in more than the common limit of the cohort or corpus."""
    # common: in more than max(common_min, common_fraction · n) cohort members (or corpus entries, judged apart)
    limit = max(config.common_min, int(config.common_fraction * n_cohort))
    in_cohort = np.add.reduceat((owners < n_cohort).astype(np.int64), starts) if hashes.size else np.zeros(0, int)
    common_group = in_cohort > limit
    if n_corpus:
        corpus_limit = max(config.common_min, int(config.common_fraction * n_corpus))
        common_group |= (sizes - in_cohort) > corpus_limit
    if template_prints:
        template_hashes = np.unique(np.concatenate([fp.distinct for fp in template_prints]))
        common_group |= np.isin(hashes[starts], template_hashes)
    return common_group, limit


def _build_index(
    prints: Sequence[Fingerprints], template_prints: Sequence[Fingerprints], n_cohort: int, n_corpus: int,
    config: SimilarityConfig,
) -> _Index:
    """The inverted index fingerprint → submissions, keeping only hashes that two or more submissions share."""
    hashes, owners, starts, sizes = _group_rows(prints)
    excluded, limit = _common_groups(hashes, owners, starts, sizes, n_cohort, n_corpus, template_prints, config)
    excluded_hashes = hashes[starts][excluded]
    row_excluded = np.repeat(excluded, sizes)
    kept_per_submission = np.bincount(owners[~row_excluded], minlength=len(prints))
    shared_groups = ~excluded & (sizes >= 2)
    shared_rows = np.repeat(shared_groups, sizes)
    hashes, owners = hashes[shared_rows], owners[shared_rows]
    row_sizes = np.repeat(sizes[shared_groups], sizes[shared_groups])
    del shared_rows, row_excluded
    return _Index(hashes, owners, row_sizes, kept_per_submission, excluded_hashes, int(excluded.sum()), limit)


def _count_pairs(index: _Index, n_cohort: int, total: int) -> _PairCounter:
    """Shared fingerprints per pair; consumes the index's rows (they are released when done)."""
    # rows i and i + offset of the same hash are a pair sharing it; a group of size s yields C(s, 2) pairs, and
    # s ≤ the common limit, so the work is Σ C(s, 2) over the cohort's fingerprints, not n² / 2
    hashes, owners, row_sizes = index.hashes, index.owners, index.row_sizes
    index.hashes = index.owners = index.row_sizes = np.zeros(0, dtype=np.int64)
    counter = _PairCounter()
    offset = 1
    while offset < len(hashes):
        if offset > 1:
            bigger = row_sizes > offset  # whole groups too small for this offset drop out
            if not bigger.all():
                hashes, owners, row_sizes = hashes[bigger], owners[bigger], row_sizes[bigger]
                if offset >= len(hashes):
                    break
        same = hashes[:-offset] == hashes[offset:]
        left, right = owners[:-offset][same], owners[offset:][same]
        cohort_pair = left < n_cohort  # left < right; both in the corpus → not compared
        counter.add(left[cohort_pair].astype(np.int64) * total + right[cohort_pair])
        offset += 1
    return counter


@dataclass
class _Scored:
    """Every counted pair's score, the recorded scores by name, and the pairs above the threshold in report order."""

    scores: dict[tuple[str, str], float]
    reported: list[tuple[float, int, int, int, float, float]]


def _score_pairs(
    keys: np.ndarray, shared: np.ndarray, kept_per_submission: np.ndarray, names: list[str], n_cohort: int,
    config: SimilarityConfig,
) -> _Scored:
    """Score each pair as the share of the smaller side found in the other; record and rank them."""
    total = len(names)
    left_all, right_all = keys // total, keys % total
    size_left = np.maximum(kept_per_submission[left_all], 1)
    size_right = np.maximum(kept_per_submission[right_all], 1)
    cover_left, cover_right = shared / size_left, shared / size_right
    pair_scores = np.maximum(cover_left, cover_right)
    del size_left, size_right
    scores = _recorded_scores(pair_scores, left_all, right_all, names, n_cohort, config)
    reported = [
        (float(pair_scores[i]), int(left_all[i]), int(right_all[i]), int(shared[i]), float(cover_left[i]),
         float(cover_right[i]))
        for i in np.flatnonzero((pair_scores >= config.threshold) & (shared >= config.min_shared)).tolist()
    ]
    reported.sort(key=lambda r: (-r[0], names[r[1]], names[r[2]]))
    return _Scored(scores, reported)


def _recorded_scores(
    pair_scores: np.ndarray, left_all: np.ndarray, right_all: np.ndarray, names: list[str], n_cohort: int,
    config: SimilarityConfig,
) -> dict[tuple[str, str], float]:
    """Scores at or above the record floor, keyed (a, b): a < b by name in the cohort, else (cohort, corpus entry)."""
    total = len(names)
    rank = np.empty(total, dtype=np.int64)
    rank[sorted(range(total), key=names.__getitem__)] = np.arange(total)
    recorded = np.flatnonzero(pair_scores >= max(config.record_min_score, 1e-12))
    first, second = left_all[recorded], right_all[recorded]
    swap = (second < n_cohort) & (rank[second] < rank[first])
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    name_array = np.array(names, dtype=object)
    return dict(
        zip(zip(name_array[first].tolist(), name_array[second].tolist(), strict=True), pair_scores[recorded].tolist(),
            strict=True)
    )


def _build_pairs(
    reported: list[tuple[float, int, int, int, float, float]], everyone: list[SubmissionCode],
    prints: Sequence[Fingerprints], excluded_hashes: np.ndarray, n_cohort: int, config: SimilarityConfig,
) -> list[Pair]:
    """Reported pairs named in order, with fragments for the top pairs and for each submission's first few."""
    names = [s.candidate for s in everyone]
    pairs: list[Pair] = []
    shown: dict[int, int] = {}  # fragments built so far per submission
    for rank_index, (score, a, b, count, cover_a, cover_b) in enumerate(reported):
        fragments = []
        if rank_index < config.fragment_pairs or min(shown.get(a, 0), shown.get(b, 0)) < config.fragment_pairs_each:
            shown[a], shown[b] = shown.get(a, 0) + 1, shown.get(b, 0) + 1
            fragments = _pair_fragments(everyone, prints, a, b, excluded_hashes, config)
        against_corpus = b >= n_cohort
        if not against_corpus and names[b] < names[a]:
            a, b, cover_a, cover_b = b, a, cover_b, cover_a
            fragments = [_swap(f) for f in fragments]
        pairs.append(Pair(names[a], names[b], score, cover_a, cover_b, count, fragments, against_corpus))
    return pairs


def _pair_fragments(
    everyone: list[SubmissionCode], prints: Sequence[Fingerprints], a: int, b: int, excluded_hashes: np.ndarray,
    config: SimilarityConfig,
) -> list:
    """The matching fragments of submissions a and b over the fingerprints they share and the index kept."""
    common = np.intersect1d(prints[a].distinct, prints[b].distinct, assume_unique=True)
    if excluded_hashes.size:
        common = common[~np.isin(common, excluded_hashes)]
    return build_fragments(
        everyone[a], prints[a], everyone[b], prints[b], common, config.k, config.window,
        config.max_fragments, config.fragment_lines,
    )


def find_similar(
    cohort: Sequence[SubmissionCode],
    corpus: Sequence[SubmissionCode] = (),
    template: Sequence[SubmissionCode] = (),
    config: SimilarityConfig | None = None,
) -> SimilarityReport:
    """Pairs of the cohort (and cohort ↔ corpus) whose code overlaps beyond the threshold, with matching fragments.

    score(A, B) = max(|FA ∩ FB| / |FA|, |FA ∩ FB| / |FB|) over winnowed fingerprints after removing template and
    common fingerprints, i.e. the share of the smaller side found in the other one."""
    config = config or SimilarityConfig()
    clock = [time.perf_counter()]
    cohort, corpus = list(cohort), list(corpus)
    n_cohort = len(cohort)
    everyone = cohort + corpus
    prints = fingerprint_all(everyone + list(template), config)
    template_prints, prints = prints[len(everyone) :], prints[: len(everyone)]
    clock.append(time.perf_counter())
    index = _build_index(prints, template_prints, n_cohort, len(corpus), config)
    clock.append(time.perf_counter())
    counter = _count_pairs(index, n_cohort, len(everyone))
    keys, shared = counter.result()
    clock.append(time.perf_counter())
    names = [s.candidate for s in everyone]
    scored = _score_pairs(keys, shared, index.kept_per_submission, names, n_cohort, config)
    pairs = _build_pairs(scored.reported, everyone, prints, index.excluded_hashes, n_cohort, config)
    clock.append(time.perf_counter())
    sizes = {"submissions": n_cohort, "corpus": len(corpus), "template": len(template)}
    stats = _stats(sizes, prints, index.limit, counter.entries, len(keys), clock)
    return SimilarityReport(pairs, scored.scores, config.threshold, index.excluded_count, config, stats)


def _stats(
    sizes: dict[str, int], prints: Sequence[Fingerprints], limit: int, entries: int, candidates: int,
    clock: list[float],
) -> dict:
    """The search's counts and the seconds each phase took (clock: start, fingerprinted, indexed, counted, finished)."""
    started, fingerprinted, indexed, counted, finished = clock
    n_cohort, n_corpus = sizes["submissions"], sizes["corpus"]
    return {
        **sizes,
        "tokens": int(sum(fp.tokens for fp in prints)),
        "fingerprints": int(sum(len(fp.distinct) for fp in prints)),
        "common_limit": limit,
        "pair_entries": entries,  # (hash, pair) visits: Σ over kept hashes of C(df, 2)
        "candidate_pairs": candidates,  # distinct pairs sharing ≥ 1 fingerprint
        "all_pairs": n_cohort * (n_cohort - 1) // 2 + n_cohort * n_corpus,
        "seconds_fingerprint": round(fingerprinted - started, 3),
        "seconds_index": round(indexed - fingerprinted, 3),
        "seconds_pairs": round(counted - indexed, 3),
        "seconds_fragments": round(finished - counted, 3),
        "seconds": round(finished - started, 3),
    }


def _swap(fragment):
    from grader.similarity.model import Fragment

    return Fragment(
        a_path=fragment.b_path, a_start=fragment.b_start, a_end=fragment.b_end,
        b_path=fragment.a_path, b_start=fragment.a_start, b_end=fragment.a_end,
        a_text=fragment.b_text, b_text=fragment.a_text, a_cell=fragment.b_cell, b_cell=fragment.a_cell,
        matches=fragment.matches,
    )
