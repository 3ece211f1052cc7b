"""How well two raters agree, line by line: exact, within one, quadratic weighted kappa, bias, confusion."""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = (0, 1, 2, 3)


@dataclass
class Pairs:
    """(reference level, compared level) per submission, for one rubric line or pooled over lines."""

    items: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    def add(self, key: str, reference: int, compared: int | None) -> None:
        self.items[key] = (reference, compared)

    @property
    def n(self) -> int:
        return len(self.items)

    @property
    def exact(self) -> int:
        return sum(1 for ref, got in self.items.values() if got == ref)

    @property
    def within_one(self) -> int:
        return sum(1 for ref, got in self.items.values() if got is not None and abs(got - ref) <= 1)

    def rate(self, count: int) -> float:
        return count / self.n if self.n else 0.0

    @property
    def bias(self) -> float:
        """Mean signed difference compared - reference (positive: the compared rater is lenient)."""
        scored = [(ref, got) for ref, got in self.items.values() if got is not None]
        return sum(got - ref for ref, got in scored) / len(scored) if scored else 0.0

    @property
    def qwk(self) -> float | None:
        """Quadratic weighted kappa over levels 0-3 (None when undefined: fewer than 2 pairs or no spread)."""
        scored = [(ref, got) for ref, got in self.items.values() if got is not None]
        return quadratic_weighted_kappa([r for r, _ in scored], [g for _, g in scored])

    def confusion(self) -> list[list[int]]:
        """matrix[reference][compared] over levels 0-3 (a missing compared level is not counted)."""
        matrix = [[0] * len(LEVELS) for _ in LEVELS]
        for ref, got in self.items.values():
            if got is not None:
                matrix[ref][got] += 1
        return matrix


def quadratic_weighted_kappa(reference: list[int], compared: list[int]) -> float | None:
    """Cohen's kappa with quadratic weights on the fixed 0-3 scale; None when the expected disagreement is 0."""
    n = len(reference)
    if n < 2:
        return None
    k = len(LEVELS)
    observed = [[0.0] * k for _ in range(k)]
    for ref, got in zip(reference, compared, strict=True):
        observed[ref][got] += 1
    ref_hist = [sum(row) for row in observed]
    got_hist = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            num += weight * observed[i][j]
            den += weight * ref_hist[i] * got_hist[j] / n
    if den == 0:
        return None
    return 1.0 - num / den


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None when undefined."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return None
    return cov / (vx * vy) ** 0.5


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for pos in range(start, end + 1):
            ranks[order[pos]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


@dataclass
class Agreement:
    """Per-line pairs and per-submission totals between a reference rater and a compared one."""

    lines: dict[str, Pairs] = field(default_factory=dict)
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)  # submission -> (reference, compared)

    def pooled(self, prefix: str = "") -> Pairs:
        pooled = Pairs()
        for line, pairs in self.lines.items():
            if line.startswith(prefix):
                for key, (ref, got) in pairs.items.items():
                    pooled.add(f"{key}/{line}", ref, got)
        return pooled

    def spearman_totals(self) -> float | None:
        keys = sorted(self.totals)
        return spearman([self.totals[k][0] for k in keys], [self.totals[k][1] for k in keys])


def agreement(reference: dict[str, dict[str, int]], compared: dict[str, dict[str, int | None]],
              line_ids: list[str]) -> Agreement:
    """Agreement of `compared` with `reference` over the submissions both rated (levels by line id)."""
    result = Agreement({line: Pairs() for line in line_ids})
    for key in sorted(set(reference) & set(compared)):
        ref_levels, got_levels = reference[key], compared[key]
        ref_total = got_total = 0
        for line in line_ids:
            if line not in ref_levels:
                continue
            got = got_levels.get(line)
            result.lines[line].add(key, ref_levels[line], got)
            ref_total += ref_levels[line]
            got_total += got or 0
        result.totals[key] = (ref_total, got_total)
    return result
