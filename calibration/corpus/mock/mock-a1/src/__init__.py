"""Late-delivery prediction pipeline (AIPA mock technical test)."""
