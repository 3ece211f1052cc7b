"""Activity-level prediction pipeline for the elder-home gas sensor data."""
