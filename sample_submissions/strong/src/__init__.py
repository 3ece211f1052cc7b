"""Late delivery prediction pipeline.

The package is split by responsibility:

* ``config``        - load and validate ``config.yaml``;
* ``data_loader``   - read the SQLite tables and check their schema;
* ``preprocessing`` - row-wise cleaning of the raw operational data;
* ``features``      - derived features and the scikit-learn column transformer;
* ``models``        - candidate model families and their search grids;
* ``train``         - data splitting, cross-validated tuning, threshold tuning;
* ``evaluate``      - metrics for an imbalanced binary target;
* ``predict``       - scoring of ``data/holdout.db`` and the predictions file;
* ``main``          - command-line entry point that wires the steps together.
"""

__version__ = "1.0.0"
