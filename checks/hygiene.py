"""ENV004: how the environment is curated: versions, a full freeze, .gitignore, a documented tree, setup steps."""

from __future__ import annotations

import re

from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.requirement_lines import parse_requirements

FREEZE_MARKERS = {"ipykernel", "jupyter", "jupyterlab", "notebook", "ipython", "jupyter-client", "jupyter-core",
                  "traitlets", "tornado", "pyzmq", "debugpy", "nest-asyncio", "pexpect", "prompt-toolkit",
                  "pygments", "wcwidth", "parso", "jedi", "decorator", "six", "packaging", "certifi"}
FULL_FREEZE_PACKAGES = 30
TREE = re.compile(r"(├──|└──|\|--|`--|^\s*(src|data)/\s*(#.*)?$)", re.M)
INSTALL = re.compile(r"pip install|conda (env )?create|python -m venv|virtualenv", re.I)


class EnvironmentHygiene(Check):
    code = "ENV004"
    name = "environment-hygiene"
    lines = ("pipeline.environment",)
    summary = ("Reads requirements.txt for versioned and exactly pinned packages and the marks of an uncurated "
               "`pip freeze` (dozens of packages, Jupyter's own dependencies); looks for .gitignore, a documented "
               "folder tree and setup steps in the README.")
    rationale = ("Workflow environment level 2 is an installable, loosely versioned file (a full freeze is 2 at "
                 "best); level 3 asks for curated exact pins, a config file, .gitignore, a documented tree and setup "
                 "steps (guide: pipeline.environment).")
    example = "requirements.txt with 118 packages including ipykernel and traitlets: a full freeze."
    metrics = {"packages": "requirements listed", "versioned_share": "share 0-1 with any version specifier",
               "exact_share": "share 0-1 pinned with ==",
               "full_freeze": f"an uncurated freeze: over {FULL_FREEZE_PACKAGES} packages, or Jupyter's own "
                              "dependencies listed beside the pipeline's",
               "gitignore": "a .gitignore at the root", "documented_tree": "the README draws the folder tree",
               "setup_steps": "the README says how to install the environment"}

    def run(self, ctx: CheckContext) -> Evidence:
        txt = [r for r in ctx.requirement_files if r.endswith(".txt")]
        reqs = parse_requirements(ctx.read_text(txt[0]) or "") if txt else []
        readme = (ctx.read_text(ctx.readme) if ctx.readme else "") or ""
        metrics = {**_versions(reqs), "gitignore": ".gitignore" in ctx.all_files,
                   "documented_tree": bool(TREE.search(readme)), "setup_steps": bool(INSTALL.search(readme))}
        said = {key: ("" if metrics[key] else "no ") for key in ("gitignore", "documented_tree", "setup_steps")}
        return self.evidence(
            OK,
            f"{len(reqs)} requirement(s), {metrics['versioned_share']:.0%} versioned, {metrics['exact_share']:.0%} "
            f"exact{'; an uncurated full freeze' if metrics['full_freeze'] else ''}; {said['gitignore']}.gitignore; "
            f"README: {said['documented_tree']}folder tree, {said['setup_steps']}setup steps",
            metrics=metrics, locations=[Location(txt[0])] if txt else [], confidence=0.8)


def _versions(reqs: list[tuple[str, str]]) -> dict[str, object]:
    """How many requirements carry a version, how many are exact, and whether the file is a full freeze."""
    names = {n for n, _ in reqs}
    count = len(reqs) or 1
    return {"packages": len(reqs),
            "versioned_share": round(sum(1 for _, spec in reqs if spec) / count, 3),
            "exact_share": round(sum(1 for _, spec in reqs if spec.startswith("==")) / count, 3),
            "full_freeze": len(reqs) > FULL_FREEZE_PACKAGES or len(names & FREEZE_MARKERS) >= 4}
