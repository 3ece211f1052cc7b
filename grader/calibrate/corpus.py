"""A calibration corpus: submissions per pack, their blind ratings, and the fixed tuning/test split.

Layout (calibration/README.md tells how it was made):
    corpus.toml                      how each pack is built (`builtin` or `grader pack new` arguments)
    split.toml                       [tuning].ids and [test].ids, fixed before any tuning
    corpus/<pack>/<id>/              the submissions, as candidates handed them in (no data)
    ratings/<id>/primary.toml        the blind rating the grader is compared with
    ratings/<id>/second.toml         a second blind rater's rating, where there is one
A samples folder whose submissions carry EXPECTED.toml is a corpus too: one pack (`mock`), no split.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LEVEL_VALUES = (0, 1, 2, 3)


class CorpusError(ValueError):
    """A corpus file that cannot be read; names the file and the problem."""


@dataclass(frozen=True)
class Rating:
    rater: str
    levels: dict[str, int]
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class Submission:
    id: str
    pack: str
    path: Path
    primary: Rating | None  # None: not rated yet (graded, e.g. to write its run log for the raters)
    second: Rating | None = None


@dataclass
class Corpus:
    root: Path
    packs: dict[str, dict]
    submissions: dict[str, Submission]
    halves: dict[str, list[str]]  # "tuning" / "test" -> ids; empty for a samples folder

    def ids(self, half: str | None = None) -> list[str]:
        """The rated submissions, of one half or all."""
        rated = {i for i, s in self.submissions.items() if s.primary is not None}
        if half is None:
            return sorted(rated)
        return [i for i in self.halves.get(half, []) if i in rated]


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc


def read_rating(path: Path) -> Rating:
    """A rating file: `rater`, [levels] line -> 0..3, optional [notes] line -> sentence."""
    data = _read_toml(path)
    levels = data.get("levels", {})
    bad = {k: v for k, v in levels.items() if v not in LEVEL_VALUES or isinstance(v, bool)}
    if bad or not levels:
        raise CorpusError(f"{path}: [levels] must map line ids to 0-3, got {bad or 'nothing'}")
    return Rating(str(data.get("rater", path.stem)), {str(k): int(v) for k, v in levels.items()},
                  {str(k): str(v) for k, v in data.get("notes", {}).items()})


def load_samples(folder: Path) -> Corpus:
    """Every sample with an EXPECTED.toml, graded against the mock pack."""
    subs = {}
    for sample in sorted(p for p in folder.iterdir() if p.is_dir()):
        expected = sample / "EXPECTED.toml"
        if expected.is_file():
            subs[sample.name] = Submission(sample.name, "mock", sample, read_rating(expected))
    return Corpus(folder, {"mock": {"builtin": "mock"}}, subs, {})


def load_corpus(root: Path) -> Corpus:
    """A corpus folder with corpus.toml, or a samples folder with EXPECTED.toml files."""
    manifest = root / "corpus.toml"
    if not manifest.is_file():
        return load_samples(root)
    packs = _read_toml(manifest).get("packs", {})
    subs: dict[str, Submission] = {}
    for pack in packs:
        folder = root / "corpus" / pack
        for path in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
            ratings = root / "ratings" / path.name
            primary, second = ratings / "primary.toml", ratings / "second.toml"
            subs[path.name] = Submission(path.name, pack, path, read_rating(primary) if primary.is_file() else None,
                                         read_rating(second) if second.is_file() else None)
    halves = {}
    split = root / "split.toml"
    if split.is_file():
        data = _read_toml(split)
        halves = {half: list(data.get(half, {}).get("ids", [])) for half in ("tuning", "test")}
        overlap = set(halves["tuning"]) & set(halves["test"])
        if overlap:
            raise CorpusError(f"{split}: in both halves: {sorted(overlap)}")
    return Corpus(root, packs, subs, halves)
