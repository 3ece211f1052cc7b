"""report.html: the assessor view, self-contained (no network, no script), from report.json data."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from grader.grade import Grading
from grader.report import write_text

TEMPLATES = Path(__file__).with_name("templates")


def render(report: dict, grading: Grading, out_dir: Path) -> str:
    """The HTML text of one report."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    lines = report.get("final", {}).get("lines") or report["lines"]
    by_section: dict[str, list[dict]] = {}
    for line in lines:
        by_section.setdefault(line["section"], []).append(line)
    bars = []
    held = report.get("heldout") or {}
    if held.get("valid"):
        bars.append({"label": "this submission", "value": held["metrics"].get("f1", 0.0), "color": "#1f3a5f"})
        colors = {"reference": "#2e8b57", "always_positive": "#d68910", "majority_class": "#7f8c8d"}
        for name, base in held.get("baselines", {}).items():
            bars.append({"label": name.replace("_", " "), "value": base.get("f1", 0.0),
                         "color": colors.get(name, "#999")})
    return env.get_template("report.html.j2").render(
        r=report, sections=grading.rubric.sections, lines_by_section=by_section,
        evidence={e["code"]: e for e in report["evidence"]}, excerpts=grading.excerpts, plots=grading.plots,
        bars=bars, out_dir=str(out_dir),
    )


def write_html(report: dict, grading: Grading, out_dir: Path) -> Path:
    return write_text(render(report, grading, out_dir), out_dir / "report.html")
