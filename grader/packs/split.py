"""Which rows candidates train on and which are held out: stratified by class (or by target quantile),
grouped when rows of one group must stay together. Rows without a label always stay in training."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit, train_test_split

from grader.packs.pack import PackError

MIN_TRAIN_ROWS = 50
MIN_HELDOUT_ROWS = 20
MIN_GROUPS = 3
REGRESSION_BINS = 5


@dataclass(frozen=True)
class Split:
    """Row ids (SQLite rowids) of the training file and of the held-out rows."""

    train: list[int]
    heldout: list[int]
    seen: bool = False  # the held-out rows are a resample of the training file itself


def heldout_size(fraction: float, labelled: int) -> int:
    """`fraction` < 1 is a share of the labelled rows; >= 1 a row count."""
    return int(round(fraction * labelled)) if fraction < 1 else int(fraction)


def _strata(labels: pd.Series, task: str) -> pd.Series:
    if task != "regression":
        return labels.astype(str)
    return pd.qcut(labels.astype(float), REGRESSION_BINS, labels=False, duplicates="drop").astype(str)


def _check_sizes(labelled: int, held: int, where: str) -> None:
    if labelled - held < MIN_TRAIN_ROWS or held < MIN_HELDOUT_ROWS:
        raise PackError(f"{where}: {labelled} labelled row(s) are too few for the split: a pack needs at least "
                        f"{MIN_TRAIN_ROWS} to train on and {MIN_HELDOUT_ROWS} held out "
                        f"({held} would be held out; change --holdout)")


SPLITS = ("random", "tail")


def split_rows(labels: pd.Series, task: str, fraction: float, seed: int, where: str,
               groups: pd.Series | None = None, seen: bool = False, keep: set[int] | None = None,
               check_sizes: bool = True, how: str = "random") -> Split:
    """Split the labelled rows (labels indexed by rowid); with `seen`, resample them and keep every row in training.

    Rows in `keep` (repeated ids, implausible targets) are never held out. `how="tail"` holds out the last rows of
    the table (time-ordered data, or a file whose last rows were set aside), the others are drawn at random."""
    labelled = labels.dropna()
    held_n = heldout_size(fraction, len(labelled))
    if check_sizes:
        _check_sizes(len(labelled), held_n, where)
    if keep:
        labelled = labelled[~labelled.index.isin(list(keep))]
    rowids = labelled.index.to_numpy()
    if how == "tail" and not seen:
        held = np.sort(rowids)[-held_n:]
    elif groups is not None and not seen:
        held = _grouped(rowids, groups.loc[labelled.index], held_n / len(labelled), seed, where)
    else:
        _, held = train_test_split(rowids, test_size=held_n, stratify=_strata(labelled, task), random_state=seed)
    held_set = set(int(r) for r in held)
    train = [int(r) for r in labels.index if seen or int(r) not in held_set]
    return Split(train=sorted(train), heldout=sorted(held_set), seen=seen)


def _grouped(rowids: np.ndarray, groups: pd.Series, share: float, seed: int, where: str) -> np.ndarray:
    keys = groups.map(lambda g: "<NULL>" if g is None or (isinstance(g, float) and np.isnan(g)) else str(g))
    if keys.nunique() < MIN_GROUPS:
        raise PackError(f"{where}: --group needs at least {MIN_GROUPS} groups to hold some out; the column has "
                        f"{keys.nunique()}")
    splitter = GroupShuffleSplit(n_splits=1, test_size=share, random_state=seed)
    _, held_index = next(splitter.split(rowids, groups=keys.to_numpy()))
    return rowids[held_index]
