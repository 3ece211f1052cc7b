"""Synthetic submissions: obfuscation attacks (plagiarism benchmark) and a synthetic cohort (batch-grading tests)."""
