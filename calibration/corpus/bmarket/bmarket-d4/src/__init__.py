"""bmarket-ml: An end-to-end machine learning pipeline for bank marketing prediction."""

__version__ = "0.1.0"
__author__ = "Sam Wright"
