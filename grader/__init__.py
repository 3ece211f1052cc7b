"""aie-grader: the automated grader of the Associate AI Engineer technical test."""

__version__ = "0.1.0"
