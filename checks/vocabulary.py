"""The outcomes of a robustness probe (PRB001), shared by the check and the reports that describe them."""

from __future__ import annotations

HANDLED = "handled and went on"
CLEAN_ERROR = "clean error message and non-zero exit"
RAW_TRACEBACK = "raw traceback"
HANG = "hang"
WRONG_OUTPUT = "wrong or missing output"
NOT_RUN = "not run"
CUT_SHORT = "cut short (not judged)"  # the grader's time budget for probes, not the candidate's doing
GOOD = (HANDLED, CLEAN_ERROR)
