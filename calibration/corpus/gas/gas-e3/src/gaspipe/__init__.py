"""gaspipe - a small plugin-based ML pipeline for the gas monitoring dataset."""

__version__ = "0.3.1"
