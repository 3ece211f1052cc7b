"""k-gram hashing and winnowing (Schleimer, Wilkerson & Aiken 2003) of normalised token streams, per submission.

A submission's fingerprints are compact numpy arrays (hash, unit, token position, first/last line); no per-token
Python object outlives the call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.similarity.extract import SubmissionCode
from grader.similarity.normalise import normalised_lines
from grader.similarity.tokens import lex

_BASE = np.uint64(1_000_003)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
DEAD_CODE_MAX_LINES = 100_000  # lines per submission above which dead code is not analysed


def kgram_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hash of every k-gram of the token ids (polynomial, then a splitmix finaliser so minima are random)."""
    count = len(ids) - k + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    values = ids.astype(np.uint64) + np.uint64(1)
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(k):
            hashes *= _BASE
            hashes += values[offset : offset + count]
        hashes ^= hashes >> _S30
        hashes *= _MIX1
        hashes ^= hashes >> _S27
        hashes *= _MIX2
        hashes ^= hashes >> _S31
    return hashes


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions selected by winnowing: the rightmost minimum of every window of `window` consecutive hashes."""
    count = len(hashes)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    if count <= window:
        return np.array([count - 1 - int(np.argmin(hashes[::-1]))], dtype=np.int64)
    view = sliding_window_view(hashes, window)
    rightmost = window - 1 - np.argmin(view[:, ::-1], axis=1)
    return np.unique(np.arange(count - window + 1) + rightmost)


@dataclass
class Fingerprints:
    """Winnowed fingerprints of one submission, in unit then token order."""

    hashes: np.ndarray  # uint64
    unit: np.ndarray  # int32 index into SubmissionCode.units
    pos: np.ndarray  # int32 token position of the k-gram in its unit
    first_line: np.ndarray  # int32, 1-based line of the k-gram's first token
    last_line: np.ndarray  # int32, line of its last token
    distinct: np.ndarray  # sorted unique hashes
    tokens: int = 0

    @classmethod
    def empty(cls) -> Fingerprints:
        z32 = np.zeros(0, dtype=np.int32)
        z64 = np.zeros(0, dtype=np.uint64)
        return cls(z64, z32, z32, z32, z32, z64, 0)


def fingerprint_units(lines_per_unit: list[list[str]], k: int, window: int) -> Fingerprints:
    parts: list[tuple[np.ndarray, ...]] = []
    total_tokens = 0
    for index, lines in enumerate(lines_per_unit):
        ids, token_lines = lex("\n".join(lines))
        total_tokens += len(ids)
        hashes = kgram_hashes(ids, k)
        if hashes.size == 0:
            continue
        chosen = winnow(hashes, window)
        parts.append(
            (
                hashes[chosen],
                np.full(len(chosen), index, dtype=np.int32),
                chosen.astype(np.int32),
                token_lines[chosen],
                token_lines[chosen + k - 1],
            )
        )
    if not parts:
        result = Fingerprints.empty()
        result.tokens = total_tokens
        return result
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    return Fingerprints(*columns, distinct=np.unique(columns[0]), tokens=total_tokens)


def fingerprint_submission(submission: SubmissionCode, k: int, window: int, dead_code: bool = True) -> Fingerprints:
    """Normalise (strings, comments, dead code), lex, hash and winnow every unit of a submission."""
    if dead_code and submission.lines > DEAD_CODE_MAX_LINES:
        dead_code = False  # a giant (generated or hostile) submission: the AST analysis would cost minutes
    try:
        lines = normalised_lines(submission.units, dead_code=dead_code)
    except RecursionError:
        lines = normalised_lines(submission.units, dead_code=False)
    return fingerprint_units(lines, k, window)
