"""Exception types raised by the pipeline.

Each stage raises one of these instead of a bare library error so that the
orchestrator can print a one-line explanation and exit with a non-zero code.
"""


class PipelineError(Exception):
    """Base class for every expected, user-facing pipeline failure."""


class ConfigError(PipelineError):
    """The configuration file is missing, unreadable or incomplete."""


class DataSourceError(PipelineError):
    """The SQLite database or its table cannot be read."""


class DataValidationError(PipelineError):
    """The data was read but is not usable (empty, missing columns, corrupt columns)."""
