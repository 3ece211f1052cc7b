"""Late-delivery prediction pipeline (AIAP mock technical test)."""
