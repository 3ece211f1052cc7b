"""Annex A1 section 5, ML pipeline setup: the run itself, modularity, README, environment files."""

from __future__ import annotations

import re

from checks.base import NOT_APPLICABLE, OK, Check, Location
from checks.context import CheckContext
from checks.reachability import code_scope
from checks.requirement_lines import parse_requirements
from checks.runs import TRACEBACK, run_outcome
from checks.trace import TOY, run_data_use


class PipelineRun(Check):
    code = "RUN001"
    name = "pipeline-run"
    lines = ("pipeline.design",)
    kind = "dynamic"
    summary = ("Runs `bash run.sh` in the sandbox on the grader's data and records the outcome: exit status, "
               "time, timeout, memory kill, and an uncaught traceback in the log.")
    rationale = ("Pipeline design asks for a functional pipeline that runs successfully end to end; a run that "
                 "crashes, hangs or exits 0 after an uncaught traceback is not one.")
    example = ("exit 1 after 'ValueError: could not convert string to float: 2.9kg': succeeded false, the log's tail "
               "in the findings.")

    metrics = {"ran": "the pipeline was run in the sandbox",
               "succeeded": "the submitted run.sh ran end to end (exit 0, no traceback, real data)",
               "evidence_succeeded": "the run the other lines are judged on (the assisted re-run if any) succeeded",
               "assisted": "the evidence comes from an assisted re-run, not the submitted run",
               "status": "the sandbox's run status (text: completed, failed, timeout, oom, error)",
               "exit_code": "exit code of run.sh (-1 when none)",
               "duration_s": "wall time of the run (seconds)",
               "traceback": "the log holds an uncaught traceback",
               "output_refused": "output files refused when copied out of the sandbox (count)",
               "toy_data": "the run trained/evaluated only on a toy frame, not the provided data"}

    def run(self, ctx: CheckContext):
        run = ctx.submitted_run or ctx.run
        if run is None:
            return self.evidence(NOT_APPLICABLE, "the pipeline was not run",
                                 metrics={"ran": False, "succeeded": False, "evidence_succeeded": False})
        succeeded, outcome = run_outcome(run, ctx.dataset_file)
        evidence_run = ctx.run if ctx.run is not None else run
        assisted = evidence_run is not run
        evidence_succeeded = run_outcome(evidence_run, ctx.dataset_file)[0] if assisted else succeeded
        toy = [r for r in {id(run): run, id(evidence_run): evidence_run}.values()
               if run_data_use(r, ctx.dataset_file).verdict == TOY]
        tail = run.log_tail(15)
        findings = [f"log tail:\n{tail}"] if tail and not succeeded else []
        findings += [f"output copy-out: {finding}" for finding in run.output_findings]
        summary = f"`{' '.join(run.command)}` {outcome} in {run.duration_s:.1f} s ({run.backend})"
        if assisted:
            summary += (f"; the assisted re-run {'ran end to end' if evidence_succeeded else 'failed too'}: "
                        "the other lines are judged on its evidence")
        log = run.stdout + "\n" + run.stderr
        return self.evidence(
            OK, summary,
            metrics={"ran": True, "succeeded": succeeded, "evidence_succeeded": evidence_succeeded,
                     "assisted": assisted, "status": run.status,
                     "exit_code": run.exit_code if run.exit_code is not None else -1,
                     "duration_s": run.duration_s, "traceback": TRACEBACK in log,
                     "output_refused": len(run.output_findings), "toy_data": bool(toy)},
            findings=findings,
            locations=[Location(ctx.run_script or "run.sh", None, " ".join(run.command))],
        )


class ModularPipeline(Check):
    code = "PIP001"
    name = "modular-pipeline"
    lines = ("pipeline.design",)
    summary = ("Looks at the pipeline's shape: .py modules (not notebooks), a run.sh that runs it, and a way to "
               "change parameters without editing code (config file, CLI options or environment variables).")
    rationale = ("Pipeline design asks for a modular pipeline (ingest, clean, transform, train, evaluate, infer) "
                 "with an automated workflow; the paper asks for .py modules, run.sh and configurability.")
    example = "src/{data,features,train,evaluate}.py + config.yaml + run.sh -> 4 modules, configurable."

    metrics = {"modules": ".py modules run.sh runs (count, __init__.py excluded)",
               "run_script": "a run.sh is present",
               "runs_python": "run.sh runs python",
               "configurable": "parameters change without editing code (config file, CLI options, env vars)",
               "unused_modules": ".py files nothing run.sh runs imports (count)"}

    def run(self, ctx: CheckContext):
        scope = code_scope(ctx)  # modules nothing run.sh runs imports are not part of the pipeline
        measured = set(scope.measured)
        modules = [s for s in ctx.sources if s.path in measured and not s.path.endswith("__init__.py")]
        config_files, cli = _configuration(ctx)
        run_text = ctx.read_text(ctx.run_script) if ctx.run_script else None
        runs_python = bool(run_text and re.search(r"\bpython3?\b", run_text))
        locations = [Location(m.path) for m in modules[:8]] + [Location(c) for c in config_files]
        if ctx.run_script:
            locations.append(Location(ctx.run_script, None, (run_text or "").strip()[:160]))
        return self.evidence(
            OK,
            f"{len(modules)} .py module(s); run.sh {'present' if ctx.run_script else 'missing'}; "
            f"{'configurable' if config_files or cli else 'no configuration'}"
            + (f" ({', '.join(config_files)})" if config_files else ""),
            metrics={"modules": len(modules), "run_script": bool(ctx.run_script), "runs_python": runs_python,
                     "configurable": bool(config_files or cli), "unused_modules": len(scope.unused)},
            findings=scope.findings(),
            locations=locations,
        )


def _configuration(ctx: CheckContext) -> tuple[list[str], bool]:
    """The config files present, and whether the code reads CLI options or environment variables."""
    config_files = [name for name in ("config.yaml", "config.yml", "config.json", "config.toml", "config.ini",
                                      "src/config.yaml", "src/config.json", "conf/config.yaml")
                    if (ctx.root / name).is_file()]
    cli = any(s.text and re.search(r"\b(argparse|click|typer|sys\.argv|os\.environ|getenv)\b", s.text)
              for s in ctx.sources)
    return config_files, cli


README_SECTIONS = {
    "name_and_email": r"[\w.+-]+@[\w-]+\.[\w.]+",
    "folder_structure": r"(structure|folder|director(y|ies)|├──|\|-- )",
    "how_to_run": r"(bash run\.sh|\./run\.sh|how to run|usage|execut)",
    "parameters": r"(config\.(ya?ml|json|toml)|parameter|--\w+|environment variable)",
    "pipeline_flow": r"(flow|step\s*\d|steps|stage|-->|→)",
    "eda_findings": r"(\beda\b|finding|insight)",
    "feature_processing": r"(feature)",
    "model_choice": (r"(model\w* (choice|chosen|selection)|why\b.*model|chose|choice of model|\bselected\b|"
                     r"^#+\s*models?\b)"),
    "evaluation": r"(metric|f1|precision|recall|evaluat)",
    "other_considerations": r"(deploy\w*|consideration|future work|monitor\w*|limitation)",
}


EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
NAME_FIELD = re.compile(r"^[\W_]*(?:full\s+)?name\W{0,3}\s*[:\-\u2013\u2014|]\s*[*_]*\s*([^\n|*_<(\[]{2,80})",
                        re.IGNORECASE | re.MULTILINE)
NAME_WORDS = re.compile(r"[^\W\d_][^\W\d_'.-]*(?:[ '.-]+[^\W\d_][^\W\d_'.-]*){0,5}")


def candidate_identity(text: str) -> dict[str, str]:
    """The candidate's name and email as the README gives them (paper item a); empty strings when absent."""
    email = EMAIL.search(text)
    name = NAME_FIELD.search(text)
    if name:
        guess = name.group(1)
    elif email:
        line = text[text.rfind("\n", 0, email.start()) + 1:email.start()]
        guess = re.sub(r"(?i)\b(e-?mail|author|by|contact|name)\b", " ", line)
    else:
        guess = ""
    words = NAME_WORDS.search(guess)
    return {"name": words.group(0).strip()[:80] if words else "", "email": email.group(0)[:120] if email else ""}


class ReadmeSections(Check):
    code = "DOC001"
    name = "readme-sections"
    lines = ("pipeline.design",)
    summary = "Finds which of the README contents the paper asks for (SPEC §2, paper a–i) are present."
    rationale = ("Pipeline design asks for a README that describes how to run the pipeline; the paper lists "
                 "what else it must explain (flow, EDA findings, feature processing, models, metrics).")
    example = "A README with a title and 'run bash run.sh' only: 1-2 of 10 sections."

    metrics = {"sections": "README sections the paper asks for that are present, 0-10",
               "readme_words": "words in the README (count)",
               "has_run_instructions": "the README says how to run the pipeline"}

    def run(self, ctx: CheckContext):
        text = ctx.read_text(ctx.readme) if ctx.readme else None
        if not text or not text.strip():
            return self.evidence(OK, "README missing or empty" if not ctx.readme else f"{ctx.readme} is empty",
                                 metrics={"sections": 0, "readme_words": 0, "has_run_instructions": False},
                                 findings=["README missing or empty"])
        found = {k: re.search(p, text, re.IGNORECASE | re.MULTILINE) for k, p in README_SECTIONS.items()}
        present = [k for k, m in found.items() if m]
        missing = [k for k, m in found.items() if not m]
        locations = [Location(ctx.readme, text.count("\n", 0, m.start()) + 1, k) for k, m in found.items() if m]
        return self.evidence(
            OK,
            f"{len(present)}/{len(README_SECTIONS)} README sections found"
            + (f"; missing: {', '.join(missing)}" if missing else ""),
            metrics={"sections": len(present), "readme_words": len(text.split()),
                     "has_run_instructions": bool(found["how_to_run"])},
            findings=[f"README section missing: {m}" for m in missing],
            locations=locations,
            confidence=0.7,
            data={"candidate": candidate_identity(text)},
        )


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
