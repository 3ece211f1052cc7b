"""ENV003 requirements install: what installing the candidate's requirements gave the run (grader.run.requirements)."""

from __future__ import annotations

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext

MAX_LOCATIONS = 20


def _where(entry: dict) -> Location:
    return Location(str(entry.get("file") or "requirements.txt"), int(entry.get("line") or 0) or None,
                    str(entry.get("text") or entry.get("spec") or ""))


class RequirementsInstall(Check):
    code = "ENV003"
    name = "requirements-install"
    lines = ("pipeline.environment",)
    kind = "dynamic"
    summary = ("Installs the requirements file the way the assessors do (wheels resolved on the host for the "
               "runner's Python, no network in the container) and reports what was installed, pins that could not "
               "be resolved and fell back to the runner image's version, lines refused (URLs, git, local paths, "
               "-e, index options), unpinned packages and packages missing from the runner image.")
    rationale = ("Workflow environment asks for a library versioning file that sets up the environment: a file "
                 "whose pins do not install for a current Python, or that points pip at code outside the package "
                 "index, does not reproduce the candidate's environment on the assessor's machine.")
    example = ("pandas==0.25.3 (requirements.txt:1) could not be resolved for CPython 3.11: relaxed with the rest "
               "of the set: resolved to 3.1.1; requirements.txt:4: refused `git+https://...`.")

    metrics = {"install_on": "the install step ran (false: compared with the runner image only)",
               "installed": "requirements installed (count)",
               "fallbacks": "pins that could not be had as written and fell back (count)",
               "refused": "requirement lines refused: URLs, git, local paths, -e, index options (count)",
               "unpinned": "requirements not pinned (count)",
               "missing_from_runner": "requirements the runner image does not have (count)",
               "layer_mb": "size of the installed layer (MB)",
               "cached": "the install came from the cache"}

    def run(self, ctx: CheckContext) -> Evidence:
        env = ctx.environment
        if env is None:
            return self.evidence(NOT_APPLICABLE, "the requirements were not installed (install step off)",
                                 metrics={"install_on": False})
        requirements = [r for r in env.get("requirements", []) if isinstance(r, dict)]
        active = [r for r in requirements if r.get("source") == env.get("primary") and r.get("applies", True)]
        fallbacks = [f for f in env.get("fallbacks", []) if isinstance(f, dict)]
        refused = [r for r in env.get("refused", []) if isinstance(r, dict)]
        installed = [r for r in active if str(r.get("action", "")).startswith("installed")]
        unpinned = [r for r in active if r.get("pinning") == "unpinned"]
        missing = [r for r in active if r.get("runner_version") is None]
        install_on = bool(env.get("install_on"))
        target = str(env.get("target") or "the runner's Python")

        findings = []
        for fb in fallbacks:
            runner = fb.get("runner_version")
            outcome = fb.get("outcome") or (f"fell back to the runner's {runner}" if runner
                                            else "not installed (the runner image does not have it)")
            findings.append(f"{fb.get('spec')} ({fb.get('location')}) could not be resolved for {target}: "
                            f"{outcome} [{fb.get('reason')}]")
        findings += [f"{r.get('location')}: refused `{r.get('text')}`: {r.get('reason')}" for r in refused]
        for req in unpinned:
            runner = req.get("runner_version")
            findings.append(f"{req.get('location')}: `{req.get('name')}` is unpinned"
                            + (f" (the runner's {runner} is used)" if runner else ""))
        if not install_on:
            findings += [f"{r.get('location')}: `{r.get('name')}{r.get('spec')}` is not in the runner image "
                         "(install step off)" for r in missing]
        findings += [str(f) for f in env.get("findings", [])]
        if env.get("error"):
            findings.append(f"install step: {env['error']}")

        metrics: dict[str, float | int | bool | str] = {
            "install_on": install_on, "installed": len(installed), "fallbacks": len(fallbacks),
            "refused": len(refused), "unpinned": len(unpinned), "missing_from_runner": len(missing),
            "layer_mb": round(int(env.get("size_bytes") or 0) / 1e6, 1), "cached": bool(env.get("cached")),
        }
        timings = env.get("timings") or {}
        if install_on:
            size = f"a {metrics['layer_mb']} MB layer" if env.get("layer") else "no layer"
            how = "from the cache" if env.get("cached") else f"in {float(timings.get('total_s', 0.0)):.1f} s"
            summary = (f"{len(installed)} package(s) installed into {size} ({how}); {len(fallbacks)} could not be "
                       f"had as written; {len(refused)} line(s) refused; {len(unpinned)} unpinned")
        else:
            summary = (f"install step off: {len(active)} requirement(s) compared with the runner image; "
                       f"{len(missing)} missing from it; {len(refused)} line(s) refused; {len(unpinned)} unpinned")
        if env.get("primary") is None:
            summary = "no requirements file to install"
        locations = ([_where(r) for r in refused] + [_where(f) for f in fallbacks]
                     + [_where(r) for r in unpinned])
        return self.evidence(OK, summary, metrics=metrics, findings=findings, locations=locations[:MAX_LOCATIONS],
                             data={"layer": env.get("layer"), "timings": timings, "packages": env.get("packages", {}),
                                   "shadowed": env.get("shadowed", {}), "resolved": env.get("resolved", {}),
                                   "how": env.get("how", ""), "as_of": env.get("as_of")})
