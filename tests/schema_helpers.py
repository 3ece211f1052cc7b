"""report.json's JSON Schema and its validator, shared by the unit and the integration tests of the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "grader" / "reports" / "schema" / "report.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text())


def validate(report: dict) -> None:
    """Raise jsonschema.ValidationError unless the report follows the schema (formats checked too)."""
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(report)
