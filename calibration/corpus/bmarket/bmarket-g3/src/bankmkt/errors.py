"""Exception types raised for problems the user can fix (data or configuration)."""


class PipelineError(Exception):
    """Base class: caught at the entry point and reported in one line."""


class ConfigError(PipelineError):
    """The configuration file is missing or incomplete."""


class DataValidationError(PipelineError):
    """The input table is missing, empty, or lacks required columns."""
