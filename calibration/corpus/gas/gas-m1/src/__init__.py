"""Activity-level classification pipeline for the gas-sensor monitoring data."""
