"""Activity-level classification pipeline for the gas-monitoring data."""
