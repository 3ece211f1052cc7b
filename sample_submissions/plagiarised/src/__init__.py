"""Predicting late parcels.

Modules: settings (YAML options), ingest (SQLite reading), transform (cleaning
and attributes), estimators (model families), fitting (splits and search),
scoring (metrics, thresholds, predictions) and pipeline (the CLI).
"""

__version__ = "0.3.1"
