"""What keeps the static phase fast without changing its evidence: pylint skips the libraries a submission
imports (no timings here: speed lives in bench/static_phase.py)."""

from __future__ import annotations

from checks.astutil import imported_modules
from checks.programming import PylintScore, third_party_modules
from tests.check_helpers import make

PIPELINE = """import os
import numpy as np
import sklearn.model_selection
from pandas import read_csv
from sklearn.metrics import f1_score, recall_score
from src.config import SEED
from . import helpers
from utils import tidy
from yaml import *
"""


def test_imported_modules_names_every_module_an_import_may_load(tmp_path):
    ctx = make(tmp_path, {"src/main.py": PIPELINE})
    assert imported_modules(ctx.parsed_sources) == {
        "os", "numpy", "sklearn", "sklearn.model_selection", "pandas", "pandas.read_csv", "sklearn.metrics",
        "sklearn.metrics.f1_score", "sklearn.metrics.recall_score", "src", "src.config", "src.config.SEED",
        "utils", "utils.tidy", "yaml"}


def test_third_party_modules_leave_out_the_standard_library_and_the_submissions_own(tmp_path):
    ctx = make(tmp_path, {"src/main.py": PIPELINE, "src/config.py": "SEED = 1\n", "src/utils.py": "def tidy():\n"
                                                                                                   "    return 1\n"})
    assert third_party_modules(ctx, ctx.parsed_sources) == [
        "numpy", "pandas", "pandas.read_csv", "sklearn", "sklearn.metrics", "sklearn.metrics.f1_score",
        "sklearn.metrics.recall_score", "sklearn.model_selection", "yaml"]


def test_pylint_still_reports_the_candidates_use_of_an_ignored_library(tmp_path):
    ctx = make(tmp_path, {"src/main.py": '"""Doc."""\nimport os\nimport pandas as pd\n\n\nframe = pd.DataFrame()\n'})
    evidence = PylintScore()(ctx)
    assert evidence.metrics["messages"] == 1
    assert "unused-import" in evidence.summary
