"""Assessment packs (SPEC §3): a directory with assessment.toml, the paper, the data and the held-out set.

The mock pack ships as source (its toml, paper and a deterministic generator); its data files are
generated once into a cache directory, so every pack the rest of the grader sees is a plain directory.
The modules of this package import the model from grader.packs.pack, never from here (no import cycle).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from grader.packs.pack import MODES, PRIMARY_METRIC, TASKS, Pack, PackError, load_pack

__all__ = ["MODES", "PRIMARY_METRIC", "TASKS", "Pack", "PackError", "build_mock_pack", "load_pack", "mock_pack_dir",
           "pack_spec", "resolve_pack", "split_spec"]

MOCK_SOURCE = Path(__file__).with_name("mock")
MOCK_ID = "mock"


def _cache_root() -> Path:
    from sandbox.cache import cache_root

    return cache_root()


PACK_CODE = ("pack.py", "new.py", "source.py", "target.py", "split.py", "reference.py", "paper.py", "tomlwrite.py",
             "probes.py")


def mock_digest() -> str:
    """Changes whenever the mock's generator, settings or paper, or the code that builds packs, changes."""
    digest = hashlib.sha256()
    for path in [MOCK_SOURCE / n for n in ("__init__.py", "generate.py", "settings.toml", "paper.md")] + \
            [Path(__file__).with_name(n) for n in PACK_CODE]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_mock_pack(dest: Path) -> Path:
    """Write the mock pack into dest the way staff build any pack: the round's file, then `pack new`."""
    from grader.packs.mock import mock_request, write_mock_round
    from grader.packs.new import build_pack

    with tempfile.TemporaryDirectory(prefix="mock-round-") as work:
        build_pack(mock_request(write_mock_round(Path(work)), Path(dest)))
    return Path(dest)


def mock_pack_dir() -> Path:
    """The mock pack's directory in the cache, generated on first use (atomically)."""
    final = _cache_root() / "packs" / f"mock-{mock_digest()}"
    if (final / "holdout" / "labels.csv").is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="mock-", dir=final.parent))
    try:
        build_mock_pack(staging / "pack")
        (staging / "pack").rename(final)
    except OSError:  # another process finished first
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def resolve_pack(spec: str | Path | None, mode: str | None = None) -> Pack:
    """`None` or "mock" -> the built-in mock pack; anything else is a pack directory. `mode` overrides the
    pack's default held-out mode (a pack built for both can be graded either way)."""
    spec, mode = split_spec(spec, mode)
    if spec is None or str(spec) == MOCK_ID:
        return load_pack(mock_pack_dir(), mode)
    return load_pack(Path(spec), mode)


def pack_spec(spec: str | None, mode: str | None) -> str | None:
    """One string for a pack and a held-out mode (`DIR::rerun`), as batch workers receive it."""
    return f"{spec or MOCK_ID}::{mode}" if mode else spec


def split_spec(spec: str | Path | None, mode: str | None = None) -> tuple[str | Path | None, str | None]:
    if isinstance(spec, str) and "::" in spec:
        spec, _, suffix = spec.rpartition("::")
        mode = mode or suffix
    return spec, mode
