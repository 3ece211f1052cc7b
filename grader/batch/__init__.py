"""Batch: a cohort's submissions graded in parallel (or on a Dask cluster), cached, resumable."""
