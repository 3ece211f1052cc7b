"""Bank marketing subscription pipeline."""
