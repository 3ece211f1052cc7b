"""Where the grader keeps what it builds on first use: the runner image's build context, the local runner's
environment, candidates' requirement layers, built packs. Never inside the installed package."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """$AIE_GRADER_CACHE, else $XDG_CACHE_HOME/aie-grader, else ~/.cache/aie-grader."""
    chosen = os.environ.get("AIE_GRADER_CACHE")
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg or Path.home() / ".cache") / "aie-grader"


def shared_root() -> Path:
    """A cache another uid can read: as root the local runner drops to a throw-away uid, which cannot enter
    /root, so what it runs lives under /var/cache; otherwise the user's own cache."""
    if os.environ.get("AIE_GRADER_SHARED_CACHE"):
        return Path(os.environ["AIE_GRADER_SHARED_CACHE"])
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/cache/aie-grader")
    return cache_root()
