"""ENV001 and ENV002: the requirements file, how it pins versions, and whether it covers what the code imports."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import PurePosixPath

from checks.astutil import snippet
from checks.base import OK, Check, Location
from checks.context import CheckContext
from checks.requirement_lines import parse_requirements

# import name -> distribution name, where they differ
IMPORT_TO_PACKAGE = {"sklearn": "scikit-learn", "yaml": "pyyaml", "cv2": "opencv-python", "PIL": "pillow",
                     "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "imblearn": "imbalanced-learn",
                     "dotenv": "python-dotenv", "skimage": "scikit-image", "lightgbm": "lightgbm",
                     "xgboost": "xgboost", "sqlalchemy": "sqlalchemy", "mpl_toolkits": "matplotlib"}


class RequirementsFile(Check):
    code = "ENV001"
    name = "requirements-file"
    lines = ("pipeline.environment",)
    summary = ("Finds the library versioning file (requirements.txt, environment.yml/conda.yml, pyproject.toml) "
               "and how many of its packages are pinned to a version; flags package names that do not install "
               "(e.g. `sklearn`).")
    rationale = ("Workflow environment asks for a library versioning requirements file and a file structure "
                 "that supports the pipeline; unpinned versions do not reproduce the candidate's environment.")
    example = "pandas\\nsklearn\\nmatplotlib -> 3 packages, 0% pinned, `sklearn` is not installable."

    metrics = {"has_requirements": "a requirements/environment file lists packages",
               "packages": "packages listed (count)",
               "pinned_share": "share 0-1 of packages pinned to one version"}

    def run(self, ctx: CheckContext):
        if not ctx.requirement_files:
            return self.evidence(OK, "no requirements / environment file", metrics={"has_requirements": False,
                                                                                    "packages": 0, "pinned_share": 0.0},
                                 findings=["no requirements.txt, environment.yml, conda.yml or pyproject.toml"])
        rel = ctx.requirement_files[0]
        text = ctx.read_text(rel) or ""
        findings = []
        reqs, pinned, bounded = _pinning(rel, text)
        if any(n == "sklearn" for n, _ in reqs):
            findings.append(f"{rel}: `sklearn` is not an installable package name (scikit-learn is)")
        share = len(pinned) / len(reqs) if reqs else 0.0
        return self.evidence(
            OK,
            f"{rel}: {len(reqs)} package(s), {len(pinned)} pinned, {len(bounded)} with a range",
            metrics={"has_requirements": bool(reqs), "packages": len(reqs), "pinned_share": round(share, 3)},
            findings=findings,
            locations=[Location(rel)],
        )


def _pinning(rel: str, text: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(name, spec) of each package a requirements/environment file lists, the pinned ones, those with a range."""
    if rel.endswith(".txt"):
        reqs = parse_requirements(text)
        pinned = [n for n, spec in reqs if spec.startswith("==")]
        bounded = [n for n, spec in reqs if spec and not spec.startswith("==")]
    else:
        reqs = [(m.group(1).lower(), m.group(2) or "") for m in
                re.finditer(r"^\s*-?\s*\"?([A-Za-z][A-Za-z0-9._-]*)\s*((?:==|=|>=|~=)[^\s\"#,]+)?", text, re.M)]
        pinned = [n for n, spec in reqs if spec.startswith(("==", "="))]
        bounded = [n for n, spec in reqs if spec and n not in pinned]
    return reqs, pinned, bounded


class ImportsCovered(Check):
    code = "ENV002"
    name = "imports-covered"
    lines = ("pipeline.environment",)
    summary = ("Compares the third-party packages the .py modules import with the requirements file "
               "(import names mapped to distributions: sklearn -> scikit-learn, yaml -> pyyaml).")
    rationale = ("Workflow environment asks for a library versioning file that sets up the environment; an import "
                 "it does not cover fails on the assessor's machine.")
    example = "src imports yaml and xgboost; requirements.txt lists pandas, scikit-learn -> 2 uncovered."

    metrics = {"imports": "distinct third-party packages imported (count)",
               "uncovered": "imported packages the requirements do not cover (count)"}

    def run(self, ctx: CheckContext):
        local = {PurePosixPath(p).stem for p in ctx.python_files} | {PurePosixPath(p).parts[0]
                                                                      for p in ctx.python_files}
        imported = _third_party_imports(ctx, local)
        declared = _declared_packages(ctx)
        uncovered = {name: loc for name, loc in imported.items()
                     if IMPORT_TO_PACKAGE.get(name, name).lower().replace("_", "-") not in declared
                     and name.lower().replace("_", "-") not in declared}
        return self.evidence(
            OK,
            f"{len(imported)} third-party import(s); {len(uncovered)} not covered by the requirements"
            + (f": {', '.join(sorted(uncovered))}" if uncovered else ""),
            metrics={"imports": len(imported), "uncovered": len(uncovered)},
            findings=[f"{loc}: `{name}` is imported but not in the requirements" for name, loc in uncovered.items()],
            locations=list(uncovered.values())[:10],
        )


def _top_level_imports(node: ast.AST) -> list[str]:
    """The top-level module names an absolute import statement imports ([] for any other node)."""
    if isinstance(node, ast.Import):
        return [a.name.split(".")[0] for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module.split(".")[0]]
    return []


def _third_party_imports(ctx: CheckContext, local: set[str]) -> dict[str, Location]:
    """Each imported module that is neither the standard library's nor the submission's, at its first import."""
    imported: dict[str, Location] = {}
    for src in ctx.sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            for name in _top_level_imports(node):
                if name not in sys.stdlib_module_names and name not in local and name not in imported:
                    imported[name] = Location(src.path, node.lineno, snippet(src, node.lineno))
    return imported


def _declared_packages(ctx: CheckContext) -> set[str]:
    """The package names the requirement files declare, lower-case with `-` for `_` (any word, outside .txt)."""
    declared = set()
    for rel in ctx.requirement_files:
        text = ctx.read_text(rel) or ""
        if rel.endswith(".txt"):
            declared |= {n.replace("_", "-") for n, _ in parse_requirements(text)}
        else:
            declared |= {m.lower().replace("_", "-") for m in re.findall(r"[A-Za-z][A-Za-z0-9._-]+", text)}
    return declared
