"""Agreement of the grader's levels with blind ratings: a rated corpus, or the samples' EXPECTED.toml."""
