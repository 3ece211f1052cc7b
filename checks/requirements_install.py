"""ENV003 requirements install: what installing the candidate's requirements gave the run (grader.run.requirements)."""

from __future__ import annotations

from dataclasses import dataclass

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
        found = _Requirements.of(env)
        install_on = bool(env.get("install_on"))
        findings = _findings(env, found, install_on)
        metrics: dict[str, float | int | bool | str] = {
            "install_on": install_on, "installed": len(found.installed), "fallbacks": len(found.fallbacks),
            "refused": len(found.refused), "unpinned": len(found.unpinned), "missing_from_runner": len(found.missing),
            "layer_mb": round(int(env.get("size_bytes") or 0) / 1e6, 1), "cached": bool(env.get("cached")),
        }
        timings = env.get("timings") or {}
        summary = _summary(env, found, install_on, metrics["layer_mb"], timings)
        locations = ([_where(r) for r in found.refused] + [_where(f) for f in found.fallbacks]
                     + [_where(r) for r in found.unpinned])
        return self.evidence(OK, summary, metrics=metrics, findings=findings, locations=locations[:MAX_LOCATIONS],
                             data={"layer": env.get("layer"), "timings": timings, "packages": env.get("packages", {}),
                                   "shadowed": env.get("shadowed", {}), "resolved": env.get("resolved", {}),
                                   "how": env.get("how", ""), "as_of": env.get("as_of")})


@dataclass
class _Requirements:
    """The install step's requirements sorted by what happened to them."""

    active: list[dict]
    fallbacks: list[dict]
    refused: list[dict]
    installed: list[dict]
    unpinned: list[dict]
    missing: list[dict]

    @classmethod
    def of(cls, env: dict) -> _Requirements:
        """Sort the entries of the install step's report (entries that are not dicts are ignored)."""
        active = [r for r in _dicts(env.get("requirements", []))
                  if r.get("source") == env.get("primary") and r.get("applies", True)]
        return cls(
            active=active,
            fallbacks=_dicts(env.get("fallbacks", [])),
            refused=_dicts(env.get("refused", [])),
            installed=[r for r in active if str(r.get("action", "")).startswith("installed")],
            unpinned=[r for r in active if r.get("pinning") == "unpinned"],
            missing=[r for r in active if r.get("runner_version") is None],
        )


def _dicts(entries: list) -> list[dict]:
    """The entries that are dicts: anything else in the install step's report is ignored."""
    return [e for e in entries if isinstance(e, dict)]


def _findings(env: dict, found: _Requirements, install_on: bool) -> list[str]:
    """Fallbacks, refused lines, unpinned packages, packages missing from the runner, then the step's own notes."""
    target = str(env.get("target") or "the runner's Python")
    findings = []
    for fb in found.fallbacks:
        runner = fb.get("runner_version")
        outcome = fb.get("outcome") or (f"fell back to the runner's {runner}" if runner
                                        else "not installed (the runner image does not have it)")
        findings.append(f"{fb.get('spec')} ({fb.get('location')}) could not be resolved for {target}: "
                        f"{outcome} [{fb.get('reason')}]")
    findings += [f"{r.get('location')}: refused `{r.get('text')}`: {r.get('reason')}" for r in found.refused]
    for req in found.unpinned:
        runner = req.get("runner_version")
        findings.append(f"{req.get('location')}: `{req.get('name')}` is unpinned"
                        + (f" (the runner's {runner} is used)" if runner else ""))
    if not install_on:
        findings += [f"{r.get('location')}: `{r.get('name')}{r.get('spec')}` is not in the runner image "
                     "(install step off)" for r in found.missing]
    findings += [str(f) for f in env.get("findings", [])]
    if env.get("error"):
        findings.append(f"install step: {env['error']}")
    return findings


def _summary(env: dict, found: _Requirements, install_on: bool, layer_mb: float, timings: dict) -> str:
    """One line: what was installed and how, or what the comparison with the runner image found."""
    if install_on:
        size = f"a {layer_mb} MB layer" if env.get("layer") else "no layer"
        how = "from the cache" if env.get("cached") else f"in {float(timings.get('total_s', 0.0)):.1f} s"
        summary = (f"{len(found.installed)} package(s) installed into {size} ({how}); {len(found.fallbacks)} could "
                   f"not be had as written; {len(found.refused)} line(s) refused; {len(found.unpinned)} unpinned")
    else:
        summary = (f"install step off: {len(found.active)} requirement(s) compared with the runner image; "
                   f"{len(found.missing)} missing from it; {len(found.refused)} line(s) refused; "
                   f"{len(found.unpinned)} unpinned")
    return "no requirements file to install" if env.get("primary") is None else summary
