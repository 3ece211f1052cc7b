"""Custom exception hierarchy for the latepred pipeline."""


class LatePredError(Exception):
    """Root of all pipeline errors. Carries an exit code for the CLI."""

    exit_code: int = 1

    def __init__(self, message: str, *, context: dict | None = None) -> None:
        super().__init__(message)
        self.context = context or {}

    def __str__(self) -> str:
        base = super().__str__()
        if self.context:
            details = ", ".join(f"{k}={v!r}" for k, v in self.context.items())
            return f"{base} ({details})"
        return base


class ConfigurationError(LatePredError):
    """Invalid or missing configuration value."""

    exit_code = 2


class DataSourceError(LatePredError):
    """Underlying data source could not be opened or queried."""

    exit_code = 3


class SchemaValidationError(LatePredError):
    """Input frame does not satisfy the expected schema."""

    exit_code = 4


class EmptyDatasetError(SchemaValidationError):
    """Input frame has zero rows (or zero rows after cleaning)."""

    exit_code = 5


class TransformationError(LatePredError):
    """A transformer failed or was used before being fitted."""

    exit_code = 6


class ModelError(LatePredError):
    """Model construction, training or inference failed."""

    exit_code = 7


class UnknownComponentError(ConfigurationError):
    """Factory asked for a component name that is not registered."""
