"""Shared by the anchor runners (stdlib only: it is imported from the anchors' own venvs).

Two submission-pair scores from the tools' file-pair results:
  token_weighted  (primary) Dolos's file-pair formula lifted to submissions: every file f of S counts its tokens
                  covered by the best-matching file of T (max over T's files, so a file is never counted twice),
                  and the same for T against S; covered tokens of both sides over all their tokens, in [0, 1].
  max_file_pair   the highest file-pair similarity between the two submissions (what the tools' reports rank first);
                  fragile: two near-empty files (a docstring and `__version__ = "..."`) are a 1.0 file pair.
"""

from __future__ import annotations

import json
from collections import defaultdict


def read_cohort(path: str) -> dict[str, list[str]]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["submissions"]


def coverage_scores(owner: dict[str, str], weight: dict[str, float],
                    covers: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """owner: file -> submission; weight: file -> tokens; covers: (file, other file, tokens of file covered)."""
    best: dict[tuple[str, str], float] = {}
    for f, g, covered in covers:
        sf, sg = owner[f], owner[g]
        if sf == sg:
            continue
        key = (f, sg)
        if covered > best.get(key, 0.0):
            best[key] = covered
    total: dict[str, float] = defaultdict(float)
    for f, w in weight.items():
        total[owner[f]] += w
    covered_by: dict[tuple[str, str], float] = defaultdict(float)
    for (f, other), c in best.items():
        covered_by[(owner[f], other)] += c
    out = []
    for (a, b), c in covered_by.items():
        if a >= b:
            continue
        denom = total[a] + total[b]
        out.append((a, b, (c + covered_by.get((b, a), 0.0)) / denom if denom else 0.0))
    return out


def max_pair_scores(owner: dict[str, str], pairs: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """pairs: (file, other file, file-pair similarity) -> highest similarity per submission pair."""
    best: dict[tuple[str, str], float] = {}
    for f, g, s in pairs:
        a, b = sorted((owner[f], owner[g]))
        if a != b and s > best.get((a, b), 0.0):
            best[(a, b)] = s
    return [(a, b, s) for (a, b), s in best.items()]


def write(path: str, version: str, variants: dict[str, list], default_scores=None) -> None:
    """variants: name -> [(a, b, score)]; the first one is the tool's primary score."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": version, "variants": {k: [list(s) for s in v] for k, v in variants.items()},
                   "default_scores": [list(s) for s in (default_scores or [])]}, handle)
