"""Evidence producers: one class per rule, registered in checks/catalogue.py (one line each).

The catalogue is loaded on first use (`from checks import CATALOGUE`), so that what only needs the
evidence types (the rubric, `grader --help`) does not import every check and its libraries.

PREFIX_TABLE says, per code prefix, what its checks own and the modules that hold them (read as PREFIXES and
PREFIX_MODULES): a check's module holds checks of one prefix only (pylint's checkers own code ranges the same way).
The tests keep the table complete.
"""

from __future__ import annotations

from checks.base import Check, Evidence, Location

# code prefix -> (what its checks own, the modules that hold them): one row per prefix
PREFIX_TABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "PRG": ("programming proficiency: lint, structure, naming and docs, exception handling, craft, inference copies",
            ("checks.programming", "checks.craft", "checks.reuse")),
    "EDA": ("the EDA notebook: plots, statistics, written insights, depth",
            ("checks.eda", "checks.eda_depth")),
    "NBK": ("the notebook re-executed in the sandbox",
            ("checks.notebook_run",)),
    "LNK": ("EDA findings that reach the pipeline",
            ("checks.linkage",)),
    "PRE": ("data preparation: cleaning steps, statistics fitted before the split, crude cleaning",
            ("checks.preparation", "checks.crude_cleaning")),
    "FEA": ("derived features",
            ("checks.features",)),
    "SPL": ("the train/validation/test split, choices made on the test split",
            ("checks.split", "checks.test_selection")),
    "MOD": ("models compared and modelling practices",
            ("checks.modelling", "checks.practices")),
    "MET": ("evaluation metrics",
            ("checks.metrics",)),
    "JUS": ("choices justified in writing with this data",
            ("checks.justification",)),
    "DOC": ("the README: sections, scoping, claims checked against the run",
            ("checks.readme", "checks.claims")),
    "PIP": ("the pipeline's modules and configuration",
            ("checks.pipeline",)),
    "RUN": ("the submitted run (and the assisted re-run)",
            ("checks.pipeline_run",)),
    "PRB": ("robustness probes: the pipeline on bad inputs",
            ("checks.robustness",)),
    "DYN": ("the traced data flow of the run",
            ("checks.dataflow",)),
    "REP": ("reproducibility of the run",
            ("checks.reproducibility",)),
    "HLD": ("held-out scoring and self-reported metrics",
            ("checks.heldout", "checks.selfreport")),
    "ENV": ("the environment: requirements, installation, hygiene",
            ("checks.environment", "checks.requirements_install", "checks.hygiene")),
    "RUL": ("the paper's rules: run.sh, data access, committed artefacts, modules not notebooks",
            ("checks.rules",)),
}
PREFIXES = {prefix: owns for prefix, (owns, _modules) in PREFIX_TABLE.items()}
PREFIX_MODULES = {prefix: modules for prefix, (_owns, modules) in PREFIX_TABLE.items()}


def __getattr__(name: str):
    if name in ("CATALOGUE", "declared_metrics"):
        from checks import catalogue

        return getattr(catalogue, name)
    raise AttributeError(f"module 'checks' has no attribute {name!r}")


__all__ = ["CATALOGUE", "Check", "Evidence", "Location", "declared_metrics"]
