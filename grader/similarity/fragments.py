"""Matching regions of a pair: shared fingerprints chained along diagonals into line ranges shown side by side."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.similarity.extract import CodeUnit, SubmissionCode
from grader.similarity.fingerprints import Fingerprints
from grader.similarity.model import Fragment

_PER_HASH = 4  # occurrences of one hash considered on each side
_MAX_MATCHES = 50_000


@dataclass
class _Chain:
    a_unit: int
    b_unit: int
    a_cell: int | None
    b_cell: int | None
    last_a: int
    last_b: int
    a_first: int
    a_last: int
    b_first: int
    b_last: int
    count: int = 1


def _cell(unit: CodeUnit, line: int) -> int | None:
    return unit.location(line)[0] if unit.kind == "notebook" else None


def _side(unit: CodeUnit, first: int, last: int, cap: int) -> tuple[int, int, int | None, str]:
    """(start, end, cell, text) of a line range of a unit; notebook lines become lines within the start cell."""
    lines = unit.text.split("\n")
    last = min(max(last, first), len(lines))
    cell = None
    if unit.kind == "notebook" and unit.line_map:
        cell, start = unit.location(first)
        while last > first and unit.location(last)[0] != cell:
            last -= 1
        end = unit.location(last)[1]
    else:
        start, end = first, last
    shown = lines[first - 1 : min(last, first - 1 + cap)]
    text = "\n".join(shown)
    if last - first + 1 > cap:
        text += f"\n... ({last - first + 1 - cap} more lines)"
    return start, end, cell, text


def _matches(
    a_fp: Fingerprints, b_fp: Fingerprints, shared: np.ndarray,
) -> tuple[list[tuple[int, int, int, int]], dict[tuple[int, int, int, int], tuple[int, int]]]:
    """Sorted (a_unit, b_unit, a_pos, b_pos) of each shared hash occurrence pair, with its fingerprint indices."""
    in_a = np.flatnonzero(np.isin(a_fp.hashes, shared))
    in_b = np.flatnonzero(np.isin(b_fp.hashes, shared))
    by_hash: dict[int, list[int]] = {}
    for j in in_b.tolist():
        slot = by_hash.setdefault(int(b_fp.hashes[j]), [])
        if len(slot) < _PER_HASH:
            slot.append(j)
    matches: list[tuple[int, int, int, int]] = []  # (a_unit, b_unit, a_pos, b_pos) sort key + indices
    index_of: dict[tuple[int, int, int, int], tuple[int, int]] = {}
    seen_a: dict[int, int] = {}
    for i in in_a.tolist():
        h = int(a_fp.hashes[i])
        if seen_a.get(h, 0) >= _PER_HASH:
            continue
        seen_a[h] = seen_a.get(h, 0) + 1
        for j in by_hash.get(h, ()):
            key = (int(a_fp.unit[i]), int(b_fp.unit[j]), int(a_fp.pos[i]), int(b_fp.pos[j]))
            matches.append(key)
            index_of[key] = (i, j)
        if len(matches) >= _MAX_MATCHES:
            break
    matches.sort()
    return matches, index_of


def _chain_matches(
    a_sub: SubmissionCode, a_fp: Fingerprints, b_sub: SubmissionCode, b_fp: Fingerprints,
    matches: list[tuple[int, int, int, int]], index_of: dict[tuple[int, int, int, int], tuple[int, int]], gap: int,
) -> list[_Chain]:
    """Matches joined into chains along diagonals: a match within gap of a recent chain of its units extends it."""
    open_chains: dict[tuple, list[_Chain]] = {}
    chains: list[_Chain] = []
    for key in matches:
        i, j = index_of[key]
        a_unit, b_unit, a_pos, b_pos = key
        a_cell = _cell(a_sub.units[a_unit], int(a_fp.first_line[i]))
        b_cell = _cell(b_sub.units[b_unit], int(b_fp.first_line[j]))
        candidates = open_chains.setdefault((a_unit, b_unit, a_cell, b_cell), [])
        target = _recent_chain(candidates, a_pos, b_pos, gap)
        a1, a2 = int(a_fp.first_line[i]), int(a_fp.last_line[i])
        b1, b2 = int(b_fp.first_line[j]), int(b_fp.last_line[j])
        if target is None:
            chain = _Chain(a_unit, b_unit, a_cell, b_cell, a_pos, b_pos, a1, a2, b1, b2)
            candidates.append(chain)
            chains.append(chain)
            continue
        target.last_a, target.last_b = a_pos, b_pos
        target.a_first, target.a_last = min(target.a_first, a1), max(target.a_last, a2)
        target.b_first, target.b_last = min(target.b_first, b1), max(target.b_last, b2)
        target.count += 1
    return chains


def _recent_chain(candidates: list[_Chain], a_pos: int, b_pos: int, gap: int) -> _Chain | None:
    """The latest of the last eight chains that a match at (a_pos, b_pos) continues, if any."""
    for chain in reversed(candidates[-8:]):
        if 0 < a_pos - chain.last_a <= gap and 0 < b_pos - chain.last_b <= gap:
            return chain
    return None


def _contains(other: _Chain, chain: _Chain) -> bool:
    """Whether other's line ranges on both sides, in the same units, hold chain's."""
    return (
        other.a_unit == chain.a_unit
        and other.b_unit == chain.b_unit
        and other.a_first <= chain.a_first
        and chain.a_last <= other.a_last
        and other.b_first <= chain.b_first
        and chain.b_last <= other.b_last
    )


def _keep_largest(chains: list[_Chain], max_fragments: int) -> list[_Chain]:
    """Largest chains first (single matches only when nothing repeats), none held inside one already kept."""
    chains = sorted(chains, key=lambda c: (-c.count, c.a_unit, c.a_first))
    if any(c.count >= 2 for c in chains):
        chains = [c for c in chains if c.count >= 2]
    kept: list[_Chain] = []
    for chain in chains:
        if any(_contains(other, chain) for other in kept):
            continue
        kept.append(chain)
        if len(kept) >= max_fragments:
            break
    return kept


def _fragment(a_sub: SubmissionCode, b_sub: SubmissionCode, chain: _Chain, max_lines: int) -> Fragment:
    """A chain shown as the two line ranges it covers."""
    a_unit, b_unit = a_sub.units[chain.a_unit], b_sub.units[chain.b_unit]
    a_start, a_end, a_cell, a_text = _side(a_unit, chain.a_first, chain.a_last, max_lines)
    b_start, b_end, b_cell, b_text = _side(b_unit, chain.b_first, chain.b_last, max_lines)
    return Fragment(
        a_path=a_unit.path, a_start=a_start, a_end=a_end, b_path=b_unit.path, b_start=b_start, b_end=b_end,
        a_text=a_text, b_text=b_text, a_cell=a_cell, b_cell=b_cell, matches=chain.count,
    )


def build_fragments(
    a_sub: SubmissionCode,
    a_fp: Fingerprints,
    b_sub: SubmissionCode,
    b_fp: Fingerprints,
    shared: np.ndarray,
    k: int,
    window: int,
    max_fragments: int = 20,
    max_lines: int = 40,
) -> list[Fragment]:
    """Side-by-side fragments for the shared (non-excluded) hashes of a pair, largest first."""
    if shared.size == 0:
        return []
    matches, index_of = _matches(a_fp, b_fp, shared)
    chains = _chain_matches(a_sub, a_fp, b_sub, b_fp, matches, index_of, gap=2 * k + window)
    return [_fragment(a_sub, b_sub, chain, max_lines) for chain in _keep_largest(chains, max_fragments)]
