"""Development tooling that is not the product (not installed): synthetic cohorts and obfuscations for benchmarks."""
