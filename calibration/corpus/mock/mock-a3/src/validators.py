"""Schema validation."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from .exceptions import EmptyDatasetError, SchemaValidationError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str  # "numeric" | "text"
    nullable: bool = True


DELIVERY_SCHEMA: tuple[ColumnSpec, ...] = (
    ColumnSpec("delivery_id", "text", nullable=False),
    ColumnSpec("order_datetime", "text", nullable=False),
    ColumnSpec("region", "text"),
    ColumnSpec("distance_km", "numeric"),
    ColumnSpec("parcel_weight", "text"),
    ColumnSpec("num_items", "numeric"),
    ColumnSpec("vehicle_type", "text"),
    ColumnSpec("driver_experience_yrs", "numeric"),
    ColumnSpec("driver_rating", "numeric"),
    ColumnSpec("weather", "text"),
    ColumnSpec("traffic_index", "numeric"),
    ColumnSpec("customer_tier", "text"),
    ColumnSpec("express", "text"),
)


class SchemaValidator:
    """Validates a frame against a tuple of ColumnSpec and coerces numeric columns."""

    def __init__(self, schema: tuple[ColumnSpec, ...] = DELIVERY_SCHEMA, max_invalid_ratio: float = 0.5) -> None:
        self._schema = schema
        self._max_invalid_ratio = max_invalid_ratio

    def validate(self, frame: pd.DataFrame, target: str | None = None) -> pd.DataFrame:
        if frame is None or frame.empty:
            raise EmptyDatasetError("dataset is empty")
        required = [c.name for c in self._schema] + ([target] if target else [])
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise SchemaValidationError("missing columns", context={"columns": missing})

        out = frame.copy()
        for spec in self._schema:
            if spec.kind == "numeric":
                coerced = pd.to_numeric(out[spec.name], errors="coerce")
                newly_null = coerced.isna() & out[spec.name].notna()
                ratio = float(newly_null.mean())
                if ratio > self._max_invalid_ratio:
                    raise SchemaValidationError(
                        "too many non-numeric values", context={"column": spec.name, "ratio": round(ratio, 3)})
                if newly_null.any():
                    log.warning("%s: coerced %d non-numeric values to NaN", spec.name, int(newly_null.sum()))
                out[spec.name] = coerced
            if not spec.nullable and out[spec.name].isna().any():
                raise SchemaValidationError("null values in non-nullable column", context={"column": spec.name})

        if target:
            labels = pd.to_numeric(out[target], errors="coerce")
            if not labels.dropna().isin([0, 1]).all():
                raise SchemaValidationError("target must be binary 0/1", context={"column": target})
            if labels.nunique() < 2:
                raise SchemaValidationError("target has a single class", context={"column": target})
            out[target] = labels
        return out
