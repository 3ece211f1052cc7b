"""Re-running a built pack's reference pipeline (tests compare its scores with the pack's assessment.toml)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from grader.packs import Pack
from grader.packs.new import score_reference
from grader.packs.reference import fit_predict
from grader.packs.source import ROWID, open_source
from grader.packs.target import analyse_target


def reference_scores(pack: Pack, seed: int | None = None) -> dict[str, float]:
    """Re-run the reference pipeline on a built pack (predictions mode) and score it."""
    seed = int(pack.facts.get("seed", 0)) if seed is None else seed
    with tempfile.TemporaryDirectory() as work:
        train = open_source(pack.train_db, pack.table, Path(work)).read()
        test = open_source(pack.holdout_features, pack.table, Path(work)).read()
        spec = analyse_target(train[pack.target], pack.target, str(pack.train_db), pack.task, pack.positive_label,
                              dict(pack.labels_map))
        drop = {pack.target, ROWID, *(c for c in (pack.id_column, pack.group_column) if c)}
        result = fit_predict(train, spec.labels, test, pack.task, pack.positive_label, drop, seed)
        return score_reference(result, test[pack.id_column], pack.heldout_task(), Path(work))
