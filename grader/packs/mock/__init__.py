"""The mock test (SPEC §4): its generator, its staff settings and paper, and the `pack new` request that builds it."""

from __future__ import annotations

from pathlib import Path

MOCK_SOURCE = Path(__file__).parent
MOCK_SEED = 20240611


def write_mock_round(folder: Path) -> Path:
    """The mock round's file (every generated row, labelled), as staff would hand it to `pack new`."""
    from grader.packs.mock.generate import write_round_file

    return write_round_file(Path(folder) / "deliveries.db", MOCK_SEED)


def mock_request(data_file: Path, out: Path):
    """The `grader pack new` request that turns the mock generator's round file into the mock pack."""
    from grader.packs.new import NewPack

    return NewPack(data_file=data_file, target="late", out=out, id_column="delivery_id", positive="1",
                   holdout=3000, split="tail", seed=MOCK_SEED, settings=MOCK_SOURCE / "settings.toml",
                   paper=MOCK_SOURCE / "paper.md", force=True)
