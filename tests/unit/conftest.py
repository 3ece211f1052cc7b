"""The unit suite needs no Docker engine: a docker-marked test, or one asking for a Docker fixture, is refused here."""

from __future__ import annotations

from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parent
DOCKER_FIXTURES = {"docker_sandbox", "sample_report_dirs", "sample_reports"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop the session before anything runs when a test under tests/unit/ would touch Docker."""
    misplaced = [item.nodeid for item in items
                 if UNIT in Path(item.path).resolve().parents
                 and (item.get_closest_marker("docker") or DOCKER_FIXTURES & set(getattr(item, "fixturenames", ())))]
    if misplaced:
        raise pytest.UsageError("Docker tests belong in tests/integration/, not tests/unit/: " + ", ".join(misplaced))
