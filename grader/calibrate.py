"""Agreement between the grader's levels and the intended levels of the samples (EXPECTED.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader.rubric import Rubric


class ExpectedError(ValueError):
    """An EXPECTED.toml that cannot be read; names the file."""


@dataclass
class LineAgreement:
    line: str
    section: str
    pairs: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # sample -> (expected, got)

    @property
    def n(self) -> int:
        return len(self.pairs)

    @property
    def exact(self) -> int:
        return sum(1 for want, got in self.pairs.values() if got == want)

    @property
    def within_one(self) -> int:
        return sum(1 for want, got in self.pairs.values() if got is not None and abs(got - want) <= 1)


@dataclass
class Calibration:
    lines: list[LineAgreement]

    def totals(self, section: str | None = None) -> tuple[int, int, int]:
        chosen = [a for a in self.lines if section is None or a.section == section]
        return sum(a.n for a in chosen), sum(a.exact for a in chosen), sum(a.within_one for a in chosen)

    def rates(self, section: str | None = None) -> tuple[float, float]:
        n, exact, within = self.totals(section)
        return (exact / n if n else 0.0, within / n if n else 0.0)

    def sections(self) -> list[str]:
        return list(dict.fromkeys(a.section for a in self.lines))


def load_expected(sample: Path) -> dict[str, int] | None:
    path = sample / "EXPECTED.toml"
    if not path.is_file():
        return None
    try:
        levels = tomllib.loads(path.read_text(encoding="utf-8")).get("levels", {})
    except tomllib.TOMLDecodeError as exc:
        raise ExpectedError(f"{path}: invalid TOML: {exc}") from exc
    bad = {k: v for k, v in levels.items() if v not in (0, 1, 2, 3)}
    if bad:
        raise ExpectedError(f"{path}: levels must be 0-3, got {bad}")
    return {str(k): int(v) for k, v in levels.items()}


def calibration_samples(folder: Path) -> dict[str, dict[str, int]]:
    """Every sample folder with an EXPECTED.toml, and its intended levels."""
    found = {}
    for sample in sorted(p for p in folder.iterdir() if p.is_dir()):
        expected = load_expected(sample)
        if expected is not None:
            found[sample.name] = expected
    return found


def compare(rubric: Rubric, reports: dict[str, dict], expected: dict[str, dict[str, int]]) -> Calibration:
    """Line-by-line agreement of report levels with the intended ones (not assessed counts as wrong)."""
    lines = []
    for line in rubric.lines:
        if not line.auto:
            continue
        agreement = LineAgreement(line.id, line.section)
        for sample, levels in expected.items():
            if line.id not in levels or sample not in reports:
                continue
            got = next((r["level"] for r in reports[sample]["lines"] if r["id"] == line.id), None)
            agreement.pairs[sample] = (levels[line.id], got)
        lines.append(agreement)
    return Calibration(lines)


def print_calibration(calibration: Calibration, rubric: Rubric, console: Console) -> None:
    samples = sorted({s for a in calibration.lines for s in a.pairs})
    table = Table(title="calibration: grader level / intended level per sample")
    table.add_column("line")
    for sample in samples:
        table.add_column(sample, justify="center")
    table.add_column("exact", justify="right")
    table.add_column("±1", justify="right")
    for a in calibration.lines:
        cells = []
        for sample in samples:
            want, got = a.pairs.get(sample, (None, None))
            if want is None:
                cells.append("")
                continue
            style = "green" if got == want else ("yellow" if got is not None and abs(got - want) <= 1 else "red")
            cells.append(f"[{style}]{'-' if got is None else got}/{want}[/]")
        table.add_row(a.line, *cells, f"{a.exact}/{a.n}", f"{a.within_one}/{a.n}")
    console.print(table)
    summary = Table(title="agreement per section")
    summary.add_column("section")
    summary.add_column("exact", justify="right")
    summary.add_column("within ±1", justify="right")
    titles = {s.id: f"{s.number} {s.title}" for s in rubric.sections}
    for section in calibration.sections():
        n, exact, within = calibration.totals(section)
        summary.add_row(titles.get(section, section), f"{exact}/{n} ({exact / n:.0%})",
                        f"{within}/{n} ({within / n:.0%})")
    n, exact, within = calibration.totals()
    summary.add_row("[bold]all[/]", f"{exact}/{n} ({exact / n:.0%})", f"{within}/{n} ({within / n:.0%})")
    console.print(summary)
