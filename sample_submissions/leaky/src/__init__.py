"""Late-delivery prediction pipeline.

Modules, in the order they are used by ``main.py``:

* ``config``        - load and validate ``config.yaml``
* ``data_loader``   - read the ``deliveries`` table from SQLite
* ``cleaning``      - fix data-quality problems and derive features from the raw columns
* ``preprocessing`` - imputation, scaling, one-hot encoding and the train/test split
* ``models``        - the candidate classifiers
* ``evaluate``      - metrics and decision-threshold search
* ``train``         - compare the candidates and pick the best one
* ``predict``       - score ``data/holdout.db`` and write ``output/predictions.csv``
"""
