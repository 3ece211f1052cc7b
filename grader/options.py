"""Options several commands share, and the argparse types that refuse bad values with a clear message."""

from __future__ import annotations

import argparse

from sandbox.registry import CHOICES, backend_help

BACKENDS = CHOICES  # --backend's choices: the registry's backends and its modes `auto` and `none`
BACKEND_HELP = backend_help()


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (`--jobs 0` is refused, not silently made 1)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def output_options() -> argparse.ArgumentParser:
    """-q / -v, accepted after any command (`grader check -q DIR`), as pytest and ruff accept them."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("output")
    group.add_argument("-q", "--quiet", action="count", default=0,
                       help="print only results and errors (no progress, no notices)")
    group.add_argument("-v", "--verbose", action="count", default=0,
                       help="print more detail (full reasons in the terminal summary)")
    return parent


def add_dynamic_options(parser: argparse.ArgumentParser) -> None:
    """Switches for the dynamic checks (issue 5); every one is on by default except the repeat run."""
    group = parser.add_argument_group("dynamic checks")
    group.add_argument("--no-trace", action="store_true", help="do not load the data-flow tracer into the run")
    group.add_argument("--no-probes", action="store_true", help="skip the robustness probes (4 extra runs)")
    group.add_argument("--no-notebook", action="store_true", help="do not re-execute the EDA notebook")
    group.add_argument("--no-assist", action="store_true",
                       help="no assisted re-run when the submitted run fails for a mechanical reason")
    group.add_argument("--repeat", action="store_true",
                       help="run the pipeline twice and compare the predictions (reproducibility)")
    group.add_argument("--install-requirements", dest="install_requirements", action="store_true", default=None,
                       help="install the candidate's requirements into an environment layer (default: the pack's "
                            "rule; the first time, their wheels are downloaded, possibly 100+ MB)")
    group.add_argument("--no-install-requirements", dest="install_requirements", action="store_false",
                       help="run with the grading environment's libraries only")
    group.add_argument("--probe-jobs", type=positive_int, default=2,
                       help="robustness probes run at the same time (default 2)")


def dynamic_options(args: argparse.Namespace):
    from grader.run.dynamic import DynamicOptions

    return DynamicOptions(trace=not args.no_trace, probes=not args.no_probes, notebook=not args.no_notebook,
                          repeat=args.repeat, assist=not args.no_assist,
                          install_requirements=args.install_requirements, probe_jobs=args.probe_jobs)
