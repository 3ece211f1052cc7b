"""Importing this package registers all built-in plugins."""
from . import cleaners, featurizers, models, metrics  # noqa: F401
