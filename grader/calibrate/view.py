"""The calibration tables: agreement per line and overall, totals, bias, confusion, confidence bands."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from grader.calibrate.agreement import Agreement, Pairs
from grader.textsafe import safe_terminal_text as safe

BANDS = (("confident (>= 0.7, no review flag)",), ("medium (0.4-0.7)",), ("low (< 0.4) or needs review",))


@dataclass(frozen=True)
class Judged:
    """One line of one submission: the grader's level with its confidence, and the rater's level and note."""

    submission: str
    line: str
    rater: int
    grader: int | None
    confidence: float
    needs_review: bool
    reason: str
    note: str


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(name: str, pairs: Pairs) -> list[str]:
    return [name, str(pairs.n), f"{pairs.exact}/{pairs.n} ({pairs.rate(pairs.exact):.0%})",
            f"{pairs.within_one}/{pairs.n} ({pairs.rate(pairs.within_one):.0%})",
            _fmt(pairs.qwk), f"{pairs.bias:+.2f}"]


def confusion_text(pairs: Pairs) -> str:
    """Rows: the reference's level 0-3; columns: the compared level 0-3."""
    return " / ".join(" ".join(f"{count:d}" for count in row) for row in pairs.confusion())


WIDE_ENOUGH_FOR_CONFUSION = 120


def print_agreement(title: str, result: Agreement, console: Console, who: tuple[str, str] = ("rater", "grader"),
                    confusion: bool = True) -> None:
    """Per line and pooled: exact, within one, QWK, bias; the confusion matrices in the table when the terminal
    is wide enough, else listed under it (a table cut at 80 columns would hide them)."""
    inline = confusion and console.width >= WIDE_ENOUGH_FOR_CONFUSION
    console.print(_agreement_table(title, result, who, confusion, inline))
    if confusion and not inline:
        _print_confusion_list(result, console, who)
    _print_totals(title, result, console, who)


def _agreement_table(title: str, result: Agreement, who: tuple[str, str], confusion: bool, inline: bool) -> Table:
    """The agreement table: one row per line, per section pooled and for all lines."""
    caption = f"bias = {who[1]} - {who[0]}" + (f"; confusion: rows {who[0]} 0-3 / columns {who[1]} 0-3"
                                               if confusion else "")
    table = Table(title=f"{title}: {who[1]} vs {who[0]}", title_justify="left", caption=caption,
                  caption_justify="left")
    for column in ("line", "n", "exact", "within one", "QWK", "bias", *(["confusion"] if inline else [])):
        table.add_column(column, justify="left" if column in ("line", "confusion") else "right", no_wrap=True)
    for line, pairs in result.lines.items():
        if pairs.n:
            table.add_row(*_row(line, pairs), *([confusion_text(pairs)] if inline else []))
    for section in dict.fromkeys(line.split(".", 1)[0] for line in result.lines):
        pooled = result.pooled(section + ".")
        if pooled.n:
            table.add_row(*_row(f"[italic]{section} (all lines)[/]", pooled), *([""] if inline else []))
    table.add_row(*_row("[bold]all lines[/]", result.pooled()), *([""] if inline else []))
    return table


def _print_confusion_list(result: Agreement, console: Console, who: tuple[str, str]) -> None:
    """The confusion matrix of each line, listed under a table too narrow to hold them."""
    console.print(f"confusion (rows {who[0]} 0-3 / columns {who[1]} 0-3):", highlight=False)
    for line, pairs in result.lines.items():
        if pairs.n:
            console.print(f"  {line}: {confusion_text(pairs)}", highlight=False)


def _print_totals(title: str, result: Agreement, console: Console, who: tuple[str, str]) -> None:
    """Agreement on the submissions' totals: Spearman and the mean difference."""
    rho = result.spearman_totals()
    totals = list(result.totals.values())
    diff = sum(g - r for r, g in totals) / len(totals) if totals else 0.0
    console.print(f"{title}: {len(totals)} submissions; Spearman of totals {_fmt(rho)}; mean total difference "
                  f"({who[1]}-{who[0]}) {diff:+.2f} of 48", highlight=False)


def band_of(item: Judged) -> str:
    """Confident: confidence >= 0.7 and not flagged for review; low: flagged or below 0.4; else medium."""
    if item.needs_review or item.confidence < 0.4:
        return BANDS[2][0]
    return BANDS[0][0] if item.confidence >= 0.7 else BANDS[1][0]


def print_bands(title: str, judged: list[Judged], console: Console) -> None:
    """Accuracy per confidence band: confident lines must be right far more often than the rest."""
    table = Table(title=f"{title}: accuracy by the grader's confidence", title_justify="left")
    for column in ("band", "lines", "exact", "within one"):
        table.add_column(column, justify="left" if column == "band" else "right")
    for (name,) in BANDS:
        chosen = [j for j in judged if band_of(j) == name and j.grader is not None]
        n = len(chosen)
        exact = sum(1 for j in chosen if j.grader == j.rater)
        within = sum(1 for j in chosen if abs(j.grader - j.rater) <= 1)
        table.add_row(name, str(n), f"{exact}/{n} ({exact / n:.0%})" if n else "-",
                      f"{within}/{n} ({within / n:.0%})" if n else "-")
    console.print(table)


def print_disagreements(title: str, judged: list[Judged], console: Console, limit: int) -> None:
    """The largest disagreements first, with the grader's reason and the rater's note."""
    wrong = sorted((j for j in judged if j.grader != j.rater),
                   key=lambda j: (-abs((j.grader if j.grader is not None else -9) - j.rater), j.submission, j.line))
    console.print(f"[bold]{title}: {len(wrong)} disagreements[/]" + (f" (first {limit})" if len(wrong) > limit else ""))
    for j in wrong[:limit]:
        console.print(safe(f"- {j.submission} {j.line}: grader {j.grader if j.grader is not None else 'n/a'} "
                           f"(conf {j.confidence:.2f}{', review' if j.needs_review else ''}), rater {j.rater}"),
                      highlight=False)
        console.print(safe(f"    grader: {j.reason}"), highlight=False, soft_wrap=True)
        console.print(safe(f"    rater:  {j.note}"), highlight=False, soft_wrap=True)
