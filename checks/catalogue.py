"""The catalogue: every check, registered in one line each (the order is the report's)."""

from __future__ import annotations

from checks.base import Check
from checks.claims import ReadmeClaims
from checks.craft import CodeCraft
from checks.crude_cleaning import CrudeCleaning
from checks.dataflow import DataFlow
from checks.eda import DescriptiveStatistics, RenderedPlots, WrittenInsights
from checks.eda_depth import EdaDepth
from checks.environment import ImportsCovered, RequirementsFile
from checks.features import DerivedFeatures
from checks.heldout import HeldoutPredictions
from checks.hygiene import EnvironmentHygiene
from checks.justification import JustifiedChoices
from checks.linkage import EdaToPipeline
from checks.metrics import EvaluationMetrics
from checks.modelling import ModelsCompared
from checks.notebook_run import NotebookReexecution
from checks.pipeline import ModularPipeline
from checks.pipeline_run import PipelineRun
from checks.practices import ModellingPractices
from checks.preparation import CleaningSteps, FitBeforeSplit
from checks.programming import CodeStructure, ExceptionHandling, PylintScore, SelfExplanatory
from checks.readme import ReadmeScoping, ReadmeSections
from checks.reproducibility import Reproducibility
from checks.requirements_install import RequirementsInstall
from checks.reuse import InferenceCopies
from checks.robustness import RobustnessProbes
from checks.rules import CommittedArtifacts, DataAccessRules, PipelineInModules, RunScriptRules
from checks.selfreport import SelfReportedMetrics
from checks.split import SplitStrategy
from checks.test_selection import SelectionOnTest

CATALOGUE: tuple[type[Check], ...] = (
    PylintScore,
    CodeStructure,
    InferenceCopies,
    SelfExplanatory,
    ExceptionHandling,
    CodeCraft,
    RobustnessProbes,
    RenderedPlots,
    DescriptiveStatistics,
    WrittenInsights,
    EdaDepth,
    EdaToPipeline,
    NotebookReexecution,
    CleaningSteps,
    FitBeforeSplit,
    CrudeCleaning,
    DerivedFeatures,
    SplitStrategy,
    SelectionOnTest,
    ReadmeScoping,
    ReadmeClaims,
    ModelsCompared,
    ModellingPractices,
    EvaluationMetrics,
    JustifiedChoices,
    PipelineRun,
    ModularPipeline,
    ReadmeSections,
    RunScriptRules,
    DataAccessRules,
    PipelineInModules,
    RequirementsFile,
    EnvironmentHygiene,
    ImportsCovered,
    RequirementsInstall,
    CommittedArtifacts,
    HeldoutPredictions,
    DataFlow,
    SelfReportedMetrics,
    Reproducibility,
)


def declared_metrics() -> dict[str, set[str]]:
    """Each catalogued check's code -> the metric names it declares (a `<...>` name stands for a family)."""
    return {check.code: set(check.metrics) for check in CATALOGUE}

