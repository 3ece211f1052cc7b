"""Deterministic generators of synthetic look-alikes of past rounds' data."""
