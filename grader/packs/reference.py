"""Reference scores of a pack: its own reference pipeline scored like a candidate's predictions."""

from __future__ import annotations

import tempfile
from pathlib import Path

from checks.heldout import score_predictions
from grader.packs import Pack


def compute_reference_scores(pack: Pack) -> dict[str, float]:
    """Run the mock pack's reference pipeline on the pack's data and score it on the held-out labels."""
    from grader.packs.mock.reference import predict_holdout

    predictions = predict_holdout(pack.train_db, pack.holdout_features, pack.table, pack.target)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "predictions.csv"
        predictions.to_csv(path, index=False)
        result = score_predictions(path, pack.heldout_task())
    if not result.valid:
        raise RuntimeError(f"the reference pipeline's predictions are invalid: {result.problems}")
    return result.metrics
