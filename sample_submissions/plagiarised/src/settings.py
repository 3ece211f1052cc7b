"""Options of a run, read from a YAML file and checked before anything starts."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)


class SettingsProblem(ValueError):
    """The options file is absent, malformed or holds an unusable value."""


@dataclass(frozen=True)
class PartitionSettings:
    random_state: int
    test_fraction: float
    valid_fraction: float
    n_folds: int


@dataclass(frozen=True)
class SourceSettings:
    """Input databases and the special columns."""

    labelled_db: Path
    unlabelled_db: Path
    table_name: str
    label: str
    key_column: str


@dataclass(frozen=True)
class SearchSettings:
    metric: str
    cutoffs: tuple[float, float, float]


@dataclass(frozen=True)
class SanityLimits:
    """Upper bounds beyond which a reading is treated as an entry error."""

    distance_cap_km: float
    traffic_cap: float


@dataclass(frozen=True)
class ArtefactSettings:
    folder: Path
    predictions: str
    report: str
    model: str

    @property
    def report_file(self) -> Path:
        return self.folder / self.report

    @property
    def predictions_file(self) -> Path:
        """CSV handed to the assessors."""
        return self.folder / self.predictions

    @property
    def model_file(self) -> Path:
        return self.folder / self.model


@dataclass(frozen=True)
class RunSettings:
    """Everything a run needs, already validated."""

    inputs: SourceSettings
    artefacts: ArtefactSettings
    limits: SanityLimits
    partition: PartitionSettings
    search: SearchSettings
    candidates: dict[str, dict[str, list[Any]]] = field(default_factory=dict)


def _must_have(block: dict[str, Any], key: str, block_name: str) -> Any:
    try:
        return block[key]
    except KeyError:
        raise SettingsProblem(f"option '{block_name}.{key}' is required") from None


def _sanity_check(opts: RunSettings) -> None:
    """Reject values that scikit-learn would only complain about much later."""
    part = opts.partition
    if not 0.0 < part.test_fraction < 0.5:
        raise SettingsProblem("partition.test_fraction has to lie in (0, 0.5)")
    if not 0.0 < part.valid_fraction < 0.5:
        raise SettingsProblem("partition.valid_fraction has to lie in (0, 0.5)")
    if part.test_fraction + part.valid_fraction >= 0.8:
        raise SettingsProblem("test and validation fractions leave too little to train on")
    if part.n_folds < 2:
        raise SettingsProblem("partition.n_folds must be 2 or more")
    if len(opts.search.cutoffs) != 3:
        raise SettingsProblem("search.cutoffs needs three numbers: start, stop, step")
    lo, hi, step = opts.search.cutoffs
    if step <= 0.0 or not 0.0 < lo < hi < 1.0:
        raise SettingsProblem("search.cutoffs must satisfy 0 < start < stop < 1 and step > 0")
    if not opts.candidates:
        raise SettingsProblem("no model family listed under 'candidates'")


def read_settings(location: str | Path) -> RunSettings:
    """Parse the YAML options file into a RunSettings object."""
    location = Path(location)
    if not location.is_file():
        raise SettingsProblem(f"no options file at {location}")
    try:
        with location.open(encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
    except yaml.YAMLError as err:
        raise SettingsProblem(f"{location} is not valid YAML: {err}") from err

    src, out = doc.get("inputs", {}), doc.get("artefacts", {})
    lim, part, srch = doc.get("limits", {}), doc.get("partition", {}), doc.get("search", {})

    opts = RunSettings(
        inputs=SourceSettings(
            labelled_db=Path(_must_have(src, "labelled_db", "inputs")),
            unlabelled_db=Path(_must_have(src, "unlabelled_db", "inputs")),
            table_name=str(src.get("table_name", "deliveries")),
            label=str(src.get("label", "late")),
            key_column=str(src.get("key_column", "delivery_id")),
        ),
        artefacts=ArtefactSettings(
            folder=Path(out.get("folder", "output")),
            predictions=str(out.get("predictions", "predictions.csv")),
            report=str(out.get("report", "scores.json")),
            model=str(out.get("model", "fitted_model.joblib")),
        ),
        limits=SanityLimits(
            distance_cap_km=float(lim.get("distance_cap_km", 100.0)),
            traffic_cap=float(lim.get("traffic_cap", 10.0)),
        ),
        partition=PartitionSettings(
            random_state=int(part.get("random_state", 42)),
            test_fraction=float(part.get("test_fraction", 0.15)),
            valid_fraction=float(part.get("valid_fraction", 0.15)),
            n_folds=int(part.get("n_folds", 5)),
        ),
        search=SearchSettings(
            metric=str(srch.get("metric", "f1")),
            cutoffs=tuple(float(x) for x in srch.get("cutoffs", [0.1, 0.9, 0.01])),
        ),
        candidates=dict(doc.get("candidates") or {}),
    )
    _sanity_check(opts)
    log.info("options taken from %s", location)
    return opts
