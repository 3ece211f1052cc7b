"""Bank term-deposit subscription pipeline (AIAP technical test)."""
