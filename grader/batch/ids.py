"""Candidate ids that stay put across runs (issue 13, item 9).

An id names a folder under OUT/submissions and the assessor's overrides in it, so it stays bound to the entry that
first took it: its `source` (the folder entry's name, or the CSV's candidate id), recorded in the folder's batch.json.
A following entry whose name makes the same id (`alice tan/` beside `alice-tan/`) gets the next free `-2`, `-3`, ...; it
never takes an id that another source holds, so it never receives that candidate's folder, link or overrides.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from grader.batch.sources import Candidate, candidate_id


class _Binding:
    """The ids chosen so far in one run."""

    def __init__(self, records: dict[str, dict]) -> None:
        self.owner: dict[str, str] = {}  # source -> id
        self.legacy: dict[str, str] = {}  # id -> location name, for records written before sources were recorded
        for ident, record in records.items():
            if record.get("source"):
                self.owner.setdefault(str(record["source"]), ident)
            else:
                self.legacy[ident] = Path(str(record.get("location") or "")).name
        self.taken = set(records)  # every committed folder belongs to someone
        self.chosen: dict[int, str] = {}
        self.claimed: dict[str, str] = {}  # legacy id -> the source that claimed it

    def take(self, index: int, ident: str) -> None:
        self.chosen[index] = ident
        self.taken.add(ident)

    def keep_known(self, candidates: list[Candidate]) -> None:
        """A source seen before keeps its id."""
        for index, cand in enumerate(candidates):
            ident = self.owner.get(cand.source)
            if ident is not None and ident not in self.chosen.values():
                self.take(index, ident)

    def claim_legacy(self, candidates: list[Candidate]) -> None:
        """A folder from before sources were recorded goes to the entry at the same location (by name), if any."""
        for strict in (True, False):  # first the entry whose own slug is that id, then any entry of that name
            for index, cand in enumerate(candidates):
                if index in self.chosen or not cand.location.name:
                    continue
                match = [ident for ident, name in sorted(self.legacy.items()) if ident not in self.claimed
                         and name == cand.location.name and (ident == cand.id or not strict)]
                if match:
                    self.claimed[match[0]] = cand.source
                    self.take(index, match[0])

    def place_newcomers(self, candidates: list[Candidate]) -> None:
        """An entry never seen: its own slug when free, else the next free `-N`."""
        for index, cand in enumerate(candidates):
            if index in self.chosen:
                continue
            base = candidate_id(cand.source) if cand.source else cand.id
            ident, number = base, 1
            while ident in self.taken:
                number += 1
                ident = f"{base}-{number}"
            self.take(index, ident)


def assign_ids(candidates: list[Candidate], records: dict[str, dict]) -> tuple[list[Candidate], dict[str, str]]:
    """The candidates with stable ids, given the committed records by id; and the legacy ids now bound (id -> source).

    Candidates without a source (built by hand) keep the ids they came with unless another source holds them.
    """
    binding = _Binding(records)
    binding.keep_known(candidates)
    binding.claim_legacy(candidates)
    binding.place_newcomers(candidates)
    return [replace(c, id=binding.chosen[i]) for i, c in enumerate(candidates)], binding.claimed
