"""Configuration and result types of the similarity engine (JSON-able through to_dict)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class SimilarityConfig:
    """Tuning of the detector; defaults calibrated on sample_submissions (see grader/similarity/__init__.py)."""

    k: int = 15  # tokens per k-gram
    window: int = 6  # winnowing window (k-grams): any match of window + k - 1 tokens is guaranteed to be seen
    threshold: float = 0.35  # pairs with score >= threshold are reported (calibration: see __init__ docstring)
    common_fraction: float = 0.10  # a fingerprint in more than max(common_min, common_fraction * n) submissions is
    common_min: int = 10  # ... ignored as common code (same task, same library calls); a floor of 10 keeps a ring
    #   of up to 10 copies of one solution visible in a small cohort (with 3, five copies hid each other)
    max_fragments: int = 20
    fragment_pairs: int = 300  # fragments are built for the top pairs overall and for each submission's top pairs,
    fragment_pairs_each: int = 3  # ... the rest are reported with their scores only (a ring of copies is quadratic)
    fragment_lines: int = 40  # source lines shown per fragment side
    min_shared: int = 8  # fewer shared fingerprints than this is never reported, whatever the coverage
    dead_code: bool = True  # blank statements whose results are never used before fingerprinting
    workers: int = 0  # processes used to fingerprint; 0 = automatic (one per CPU for large cohorts)
    record_min_score: float = 0.0  # scores below this are left out of SimilarityReport.scores (memory on huge cohorts)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Fragment:
    """One matching region, side by side (lines 1-based inclusive; for a notebook, lines within the cell)."""

    a_path: str
    a_start: int
    a_end: int
    b_path: str
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    a_cell: int | None = None
    b_cell: int | None = None
    matches: int = 0  # shared fingerprints in this region

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Pair:
    """A pair of submissions above the threshold (b is the corpus entry when against_corpus)."""

    a: str
    b: str
    score: float
    a_coverage: float
    b_coverage: float
    shared: int
    fragments: list[Fragment] = field(default_factory=list)
    against_corpus: bool = False

    def to_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "a_coverage": round(self.a_coverage, 4),
            "b_coverage": round(self.b_coverage, 4),
            "shared": self.shared,
            "against_corpus": self.against_corpus,
            "fragments": [f.to_dict() for f in self.fragments],
        }


@dataclass
class SimilarityReport:
    """Reported pairs (score descending), every non-zero pair score, and what was excluded."""

    pairs: list[Pair]
    scores: dict[tuple[str, str], float]
    threshold: float
    excluded_common: int
    config: SimilarityConfig
    stats: dict = field(default_factory=dict)

    def score(self, a: str, b: str) -> float:
        """Score of a pair in either order (0 when they share no fingerprint)."""
        return self.scores.get((a, b), self.scores.get((b, a), 0.0))

    def to_dict(self, min_score: float = 0.05) -> dict:
        return {
            "threshold": self.threshold,
            "excluded_common": self.excluded_common,
            "config": self.config.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "scores": [[a, b, round(s, 4)] for (a, b), s in sorted(self.scores.items()) if s > min_score],
            "stats": dict(self.stats),
        }
