"""Late-delivery prediction pipeline (AIAP mock technical test).

Run from the repository root with ``python -m pipeline.run``.
"""

__version__ = "0.3.0"
