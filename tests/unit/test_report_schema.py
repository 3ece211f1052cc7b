"""The JSON Schema of report.json is itself valid and refuses a broken report (real reports: tests/integration)."""

from __future__ import annotations

import jsonschema
import pytest

from tests.schema_helpers import SCHEMA, validate


def test_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_a_broken_report_fails_validation():
    with pytest.raises(jsonschema.ValidationError):
        validate({"schema_version": "0.1", "status": "graded"})
