"""PIP001, Annex A1 section 5, ML pipeline setup: the pipeline's modules and configuration."""

from __future__ import annotations

import re

from checks.base import OK, Check, Location
from checks.context import CheckContext
from checks.reachability import code_scope


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
