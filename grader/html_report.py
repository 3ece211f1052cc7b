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
    bars = heldout_bars(report.get("heldout") or {})
    return env.get_template("report.html.j2").render(
        r=report, sections=load_rubric().sections, lines_by_section=by_section,
        evidence={e["code"]: e for e in report["evidence"]}, excerpts=report.get("excerpts", {}),
        plots=_embedded_plots(report, out_dir), bars=bars, out_dir=str(out_dir), good_probe=GOOD,
    )


BAR_COLORS = {"reference": "#2e8b57", "always_positive": "#d68910", "majority_class": "#7f8c8d"}
BAR_WIDTH = 380


def heldout_bars(held: dict) -> list[dict]:
    """The held-out primary metric of the submission, its baselines and the reference, as bars scaled to the largest
    (an RMSE is not bounded by 1)."""
    if not held.get("valid"):
        return []
    metric = held.get("primary_metric") or "f1"
    rows = [("this submission", held["metrics"].get(metric), "#1f3a5f")]
    rows += [(name.replace("_", " "), base.get(metric), BAR_COLORS.get(name, "#999"))
             for name, base in held.get("baselines", {}).items()]
    rows = [(label, float(value), color) for label, value, color in rows if isinstance(value, int | float)]
    top = max((abs(value) for _, value, _ in rows), default=0.0) or 1.0
    return [{"label": label, "value": value, "color": color, "metric": metric,
             "width": round(max(value, 0.0) / top * BAR_WIDTH, 1)} for label, value, color in rows]


def write_html(report: dict, out_dir: Path) -> Path:
    return write_text(render(report, out_dir), out_dir / "report.html")
