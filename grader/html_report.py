"""report.html: the assessor view, self-contained (no network, no script), rendered from report.json.

The notebook's plots are kept as files under OUT/plots/ and embedded when the page is rendered, so
`grader finalize` can render the page again after overrides without the submission.
"""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from checks.robustness import GOOD
from grader.report import write_text
from grader.rubric import load_rubric

TEMPLATES = Path(__file__).with_name("templates")
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def save_plots(plots: list[dict], out_dir: Path) -> list[dict]:
    """Write the notebook's images under out_dir/plots and return their index for report.json."""
    index = []
    for number, plot in enumerate(plots, start=1):
        suffix = ".png" if plot["mime"] == "image/png" else ".jpg"
        rel = f"plots/{number:02d}-cell{plot['cell']}{suffix}"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.write_bytes(base64.b64decode(plot["data"], validate=False))
        except (ValueError, TypeError):
            continue
        index.append({"file": rel, "notebook": plot["notebook"], "cell": plot["cell"]})
    return index


def _embedded_plots(report: dict, out_dir: Path) -> list[dict]:
    plots = []
    for item in report.get("plots", []):
        path = out_dir / item["file"]
        if path.is_file() and path.suffix in MIME:
            plots.append({**item, "mime": MIME[path.suffix], "data": base64.b64encode(path.read_bytes()).decode()})
    return plots


def render(report: dict, out_dir: Path) -> str:
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
        r=report, sections=load_rubric().sections, lines_by_section=by_section,
        evidence={e["code"]: e for e in report["evidence"]}, excerpts=report.get("excerpts", {}),
        plots=_embedded_plots(report, out_dir), bars=bars, out_dir=str(out_dir), good_probe=GOOD,
    )


def write_html(report: dict, out_dir: Path) -> Path:
    return write_text(render(report, out_dir), out_dir / "report.html")
