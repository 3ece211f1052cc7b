"""bankmkt: term-deposit subscription model for the bank marketing table."""
