"""The test paper's own rules (SPEC §2), and the recurring ways real submissions break them.

Each broken rule is a finding with its file:line; the rubric lowers the line concerned.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from checks.astutil import call_name, calls, short_name, snippet
from checks.base import OK, Check, Location
from checks.context import CONFIG_SUFFIXES, CheckContext
from checks.gitignore import git_ignored

INSTALL = re.compile(r"\b(pip3?|python3?\s+-m\s+pip|conda|mamba|poetry|apt(-get)?)\s+(install|add|sync)\b")
VENV = re.compile(r"(\bsource\s+\S*activate\b|\.\s+\S*/activate\b|\bconda\s+activate\b|\bpython3?\s+-m\s+venv\b|"
                  r"\bvirtualenv\b|\bpipenv\s+(shell|run)\b)")
DOWNLOAD_SHELL = re.compile(r"\b(curl|wget|gdown|kaggle\s+datasets\s+download)\b")
DOWNLOAD_CALLS = {"urlretrieve", "urlopen", "download", "download_file"}
ABSOLUTE_PATH = re.compile(r"^(/(home|Users|mnt|tmp|root|data|content|workspace|opt)/|[A-Za-z]:[\\/]|~/)")
DATA_EXTENSIONS = (".db", ".sqlite", ".csv", ".parquet", ".xlsx", ".feather")
MODEL_EXTENSIONS = (".pkl", ".pickle", ".joblib", ".h5", ".pt", ".pth", ".onnx", ".sav", ".model")
CACHE_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"}


def _without_comments(script: str) -> str:
    """The shell script with each comment blanked (a `#` at the start of a word), lines kept in place."""
    return "\n".join(re.sub(r"(^|\s)#.*$", r"\1", line) for line in script.splitlines())


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class RunScriptRules(Check):
    code = "RUL001"
    name = "run-script-rules"
    lines = ("pipeline.design",)
    summary = ("Reads run.sh for what the paper forbids or breaks the run: installing packages, creating or "
               "activating a virtualenv, downloading data, and a `cd` into a subfolder before the pipeline "
               "reads the relative path data/...")
    rationale = ("Pipeline design asks for an automated workflow that runs end to end; assessors run run.sh after "
                 "`pip install -r requirements.txt`, with data/ beside it, and without network.")
    example = "run.sh: `pip install -r requirements.txt; cd src; python main.py` -> 2 violations (install, cd src)."

    metrics = {"violations": "run.sh rule violations: installs, virtualenvs, downloads, cd before data/ (count)",
               "environment_steps": "of those, the ones that make the run depend on the candidate's environment: "
                                    "installing packages, creating or activating a virtualenv (count)",
               "run_script": "a run.sh is present"}

    def run(self, ctx: CheckContext):
        text = ctx.read_text(ctx.run_script) if ctx.run_script else None
        if text is None:
            return self.evidence(OK, "no run.sh to read",
                                 metrics={"violations": 0, "environment_steps": 0, "run_script": False})
        violations: list[Location] = []
        environment_steps = 0  # installs and virtualenvs: the run then depends on the candidate's environment
        code = _without_comments(text)  # `# install with: pip install ...` tells the reader, it installs nothing
        for pattern, what, environment in ((INSTALL, "installs packages (the paper forbids it)", True),
                                           (VENV, "creates or activates a virtualenv", True),
                                           (DOWNLOAD_SHELL, "downloads at run time (no network when graded)", False)):
            for match in pattern.finditer(code):
                line = _line_of(code, match.start())
                violations.append(Location(ctx.run_script, line, f"{what}: {text.splitlines()[line - 1].strip()}"))
                environment_steps += environment
        for match in re.finditer(r"^\s*cd\s+([^\s;&|]+)", text, re.MULTILINE):
            target = match.group(1).strip("\"'")
            if target in (".", "..", "$(dirname \"$0\")", "\"$(dirname \"$0\")\"") or "dirname" in target:
                continue
            if self._reads_relative_data(ctx):
                line = _line_of(text, match.start())
                violations.append(Location(ctx.run_script, line,
                                           f"`cd {target}` before the pipeline reads the relative path data/"))
        return self.evidence(
            OK,
            f"run.sh: {len(violations)} rule violation(s)" if violations else "run.sh breaks none of the paper's rules",
            metrics={"violations": len(violations), "environment_steps": environment_steps, "run_script": True},
            findings=[f"{loc}: {loc.snippet}" for loc in violations],
            locations=violations,
        )

    @staticmethod
    def _reads_relative_data(ctx: CheckContext) -> bool:
        return any(src.text and re.search(r"[\"'](\./)?data/", src.text) for src in ctx.sources)


class DataAccessRules(Check):
    code = "RUL002"
    name = "data-access-rules"
    lines = ("pipeline.design",)
    summary = ("Checks how the pipeline reaches its data: read with SQLite/SQLAlchemy from the relative path "
               "data/<name>.db (as the paper asks), not from an absolute path, and not downloaded at run time.")
    rationale = ("Pipeline design asks for a pipeline that ingests data and runs end to end elsewhere; an absolute "
                 "path or a download works only on the candidate's machine.")
    example = "pd.read_csv('/Users/me/Downloads/train.csv') -> absolute path, and not read with SQLite."

    metrics = {"violations": "data-access violations: absolute paths, downloads, data URLs (count)",
               "reads_sqlite": "the data is read with sqlite3 or SQLAlchemy"}

    def run(self, ctx: CheckContext):
        reads_sqlite, violations = _data_calls(ctx)
        violations += _literal_violations(ctx)
        violations += _config_violations(ctx)
        findings = [f"{loc}: {loc.snippet}" for loc in violations]
        if ctx.sources and not reads_sqlite:
            findings.append("the pipeline does not read the data with sqlite3 or SQLAlchemy, as the paper asks")
        return self.evidence(
            OK,
            f"{'reads the data with SQLite' if reads_sqlite else 'does not read the data with SQLite'}; "
            f"{len(violations)} data-access violation(s)",
            metrics={"violations": len(violations), "reads_sqlite": reads_sqlite},
            findings=findings,
            locations=violations[:10],
        )


CONFIG_PATH = re.compile(
    r"""[:=]\s*["']?((?:/(?:Users|home|mnt|content|data|opt|tmp|root|var)/|[A-Za-z]:[\\/])[^"'\s#,]*)""")


def _data_calls(ctx: CheckContext) -> tuple[bool, list[Location]]:
    """Whether the code reads with sqlite3/SQLAlchemy, and the calls that download at run time."""
    reads_sqlite = False
    violations: list[Location] = []
    for src, node in calls(ctx.sources):
        name = call_name(node)
        if (short_name(node) == "connect" and "sqlite3" in name) or short_name(node) == "create_engine":
            reads_sqlite = True
        if short_name(node) in DOWNLOAD_CALLS or name in ("requests.get", "requests.post", "httpx.get"):
            text = f"downloads at run time: {snippet(src, node.lineno)}"
            violations.append(Location(src.path, node.lineno, text))
    return reads_sqlite, violations


def _literal_violations(ctx: CheckContext) -> list[Location]:
    """String literals in the code that are absolute paths or URLs of data files."""
    violations: list[Location] = []
    for src in ctx.sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            value = node.value.strip()
            if ABSOLUTE_PATH.match(value) and ("/" in value[1:] or "\\" in value):
                violations.append(Location(src.path, node.lineno, f"absolute path: {value[:100]}"))
            if value.startswith(("http://", "https://")) and value.lower().endswith(DATA_EXTENSIONS):
                violations.append(Location(src.path, node.lineno, f"data fetched from a URL: {value[:100]}"))
    return violations


def _config_violations(ctx: CheckContext) -> list[Location]:
    """Absolute paths in the config files (2 folders deep at most) the code reads its paths from."""
    violations: list[Location] = []
    for rel in ctx.all_files:
        if not rel.endswith(CONFIG_SUFFIXES) or rel.count("/") > 2:
            continue
        for number, line in enumerate((ctx.read_text(rel, 200_000) or "").splitlines(), start=1):
            match = CONFIG_PATH.search(line)
            if match and ("/" in match.group(1)[1:] or "\\" in match.group(1)):
                violations.append(Location(rel, number, f"absolute path: {match.group(1)[:100]}"))
    return violations


class CommittedArtifacts(Check):
    code = "RUL003"
    name = "committed-artifacts"
    lines = ("pipeline.environment",)
    summary = ("Lists what should not be in a submission: virtualenvs, caches, the data itself, trained model "
               "files, macOS leftovers (__MACOSX, .DS_Store), and notebooks stored as Git LFS pointers.")
    rationale = ("Workflow environment asks for an environment and file structure that facilitate the pipeline; "
                 "committed environments and artefacts make it irreproducible (and the paper forbids the .db).")
    example = ("venv/ (pyvenv.cfg), src/__pycache__/, data/<file>.db, model.pkl -> 4 findings; the same files "
               "matched by the submission's .gitignore are not committed -> 0.")

    metrics = {"artifacts": "committed artefacts: virtualenvs, caches, data, model files, LFS pointers (count)",
               "git_ignored": "artefact-like files present but left out by the submission's .gitignore (count)"}

    def run(self, ctx: CheckContext):
        found: dict[str, str] = {}
        ignored = git_ignored(ctx)
        for rel in ctx.all_files:
            if rel not in ignored:
                _record_artifact(ctx, rel, found)
        findings = [f"{rel}: {what}" for rel, what in sorted(found.items())]
        if ignored:
            findings.append(f"{len(ignored)} file(s) left out by .gitignore, not counted: "
                            f"{', '.join(sorted(ignored)[:5])}")
        return self.evidence(
            OK,
            f"{len(found)} committed artefact(s)" + (f": {', '.join(sorted(found)[:5])}" if found else ""),
            metrics={"artifacts": len(found), "git_ignored": len(ignored)},
            findings=findings,
            locations=[Location(rel, None, what) for rel, what in sorted(found.items())[:10]],
        )


def _record_artifact(ctx: CheckContext, rel: str, found: dict[str, str]) -> None:
    """Note in `found` what `rel` is if it should not be submitted (a folder once, by its first file)."""
    path = PurePosixPath(rel)
    parts = set(path.parts)
    if path.name == "pyvenv.cfg" or "site-packages" in parts:
        found.setdefault(path.parts[0] if len(path.parts) > 1 else rel, "a committed virtualenv")
    elif parts & CACHE_PARTS:
        found.setdefault(next(p for p in path.parts if p in CACHE_PARTS), "a cache folder")
    elif "__MACOSX" in parts or path.name == ".DS_Store":
        found.setdefault(rel, "macOS leftovers")
    elif path.suffix.lower() in MODEL_EXTENSIONS:
        found[rel] = "a trained model file"
    elif path.suffix.lower() in (".db", ".sqlite"):
        found[rel] = "the data itself (the paper says not to submit the .db)"
    elif path.suffix == ".ipynb":
        head = (ctx.read_text(rel, 200) or "")
        if head.startswith("version https://git-lfs"):
            found[rel] = "a notebook stored as a Git LFS pointer: the analysis is not in the submission"


class PipelineInModules(Check):
    code = "RUL004"
    name = "pipeline-in-modules"
    lines = ("pipeline.design",)
    summary = ("Checks that the pipeline is written as .py modules, as the paper asks, and not in notebooks "
               "(no .py code, run.sh executing a notebook, or model fitting only in notebooks).")
    rationale = "Pipeline design asks for a modular pipeline; the paper asks for .py modules, not notebooks."
    example = "run.sh: `jupyter nbconvert --execute pipeline.ipynb` -> the pipeline is a notebook."

    metrics = {"in_notebooks": "the pipeline lives in notebooks, not .py modules"}

    def run(self, ctx: CheckContext):
        run_text = (ctx.read_text(ctx.run_script) if ctx.run_script else "") or ""
        executes_notebook = bool(re.search(r"\b(nbconvert|papermill|jupyter\s+execute|runipy)\b", run_text))
        fits_in_code = any(short_name(node) in ("fit", "fit_transform") for _, node in calls(ctx.sources))
        in_notebooks = not ctx.python_files or executes_notebook or (not fits_in_code and bool(ctx.notebooks))
        findings = []
        if executes_notebook:
            findings.append(f"{ctx.run_script}: run.sh executes a notebook")
        if not ctx.python_files:
            findings.append("no .py module: the pipeline is not written as modules")
        elif not fits_in_code:
            findings.append("no model is fitted in the .py modules")
        return self.evidence(
            OK,
            "the pipeline lives in notebooks, not .py modules" if in_notebooks else "the pipeline is .py modules",
            metrics={"in_notebooks": in_notebooks},
            findings=findings,
        )
