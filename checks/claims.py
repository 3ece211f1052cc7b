"""DOC003: whether the results the README claims are results the run printed (marking guide §1.5)."""

from __future__ import annotations

import re

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext

METRIC_WORD = re.compile(r"\b(f1|f-1|accuracy|precision|recall|auc|roc|pr-auc|average precision|rmse|mae|r2|r²|"
                         r"macro|balanced)\b", re.I)
RESULT_HEADING = re.compile(r"^\s*#+.*\b(evaluat\w*|results?|metrics?|performance|scores?)\b", re.I)
NUMBER = re.compile(r"(?<![\w.])(0?\.\d{2,4}|\d{1,2}\.\d{1,2}\s?%)(?!\w|\.\d)")
TOLERANCE = 0.006  # a value rounded to two places still matches the run's three or four
MAX_OUTPUT_BYTES = 1_000_000


def _value(token: str) -> float:
    token = token.strip()
    return float(token.rstrip("% ")) / 100 if token.endswith("%") else float(token)


def readme_claims(text: str) -> list[tuple[int, float]]:
    """(line, value) of each score the README states: on lines naming a metric, or in a results section's table."""
    claims = []
    in_results = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            in_results = bool(RESULT_HEADING.search(line))
            continue
        if METRIC_WORD.search(line) or (in_results and line.lstrip().startswith("|")):
            claims += [(number, _value(m.group(1))) for m in NUMBER.finditer(line)]
    return [(n, v) for n, v in claims if 0 < v <= 1]


def _printed(ctx: CheckContext) -> list[float]:
    run = ctx.run
    text = (run.stdout or "") + "\n" + (run.stderr or "")
    root = run.output_dir
    if root is not None and root.is_dir() and not root.is_symlink():
        for path in sorted(root.rglob("*"))[:50]:
            # candidate-written files: never follow a link out of the output folder
            if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
                continue
            if path.suffix in (".json", ".txt", ".csv", ".md", ".log") and path.stat().st_size <= MAX_OUTPUT_BYTES \
                    and "predictions" not in path.name:
                text += "\n" + path.read_text(encoding="utf-8", errors="replace")
    return [_value(m.group(1)) for m in NUMBER.finditer(text)]


class ReadmeClaims(Check):
    code = "DOC003"
    name = "readme-claims"
    lines = ("model.scoping",)
    kind = "dynamic"
    summary = ("Reads the scores the README states (lines naming a metric, tables of a results section) and looks "
               "for each among the numbers the run printed or wrote (to two decimals).")
    rationale = ("README claims are hypotheses to verify; results the run cannot reproduce are inflated claims and "
                 "lower model.scoping (marking guide §1.5).")
    example = "README: 'Random forest F1 0.621'; the run printed f1: 0.603 -> 1 claim, 0 reproduced."
    metrics = {"claims": "scores the README states", "reproduced": "of them, values the run printed or wrote",
               "unreproduced": "claims the run does not show",
               "reproduced_share": "reproduced / claims (0-1)"}

    def run(self, ctx: CheckContext) -> Evidence:
        text = ctx.read_text(ctx.readme) if ctx.readme else None
        claims = readme_claims(text or "")
        empty = {"claims": len(claims), "reproduced": 0, "unreproduced": 0, "reproduced_share": 0.0}
        if not claims:
            return self.evidence(NOT_APPLICABLE, "the README states no scores", metrics=empty)
        if ctx.run is None or not ctx.run.succeeded:
            return self.evidence(NOT_APPLICABLE, "the run did not complete: the README's scores cannot be checked",
                                 metrics=empty)
        printed = _printed(ctx)
        missing = [(n, v) for n, v in claims if not any(abs(v - p) <= TOLERANCE for p in printed)]
        done = len(claims) - len(missing)
        return self.evidence(
            OK, f"{done} of {len(claims)} score(s) the README states appear in what the run printed or wrote"
            + (f"; not reproduced: {', '.join(f'{v:g} (line {n})' for n, v in missing[:6])}" if missing else ""),
            metrics={"claims": len(claims), "reproduced": done, "unreproduced": len(missing),
                     "reproduced_share": round(done / len(claims), 3)},
            locations=[Location(ctx.readme, n, f"claimed {v:g}, not in the run's output") for n, v in missing[:6]],
            confidence=0.7)
