"""Late-delivery prediction pipeline."""
