"""Candidate text made inert before it reaches a terminal or a spreadsheet (issue 13, items 7 and 8).

A submission is hostile: file names, log lines, CSV headers and folder names are data. For the terminal, control
sequences are stripped (they could clear the screen, move the cursor, retitle the window, paint a fake verdict) and
rich markup is escaped (a stray `[/]` would raise MarkupError). For CSV cells, a leading `=`, `+`, `-`, `@`, tab or CR
gets a `'` in front, as the OWASP CSV-injection guidance says, so a spreadsheet shows text instead of running a
formula.
"""

from __future__ import annotations

import re

from rich.markup import escape

# ESC-introduced sequences, 7-bit and 8-bit: strings (OSC, DCS, SOS, PM, APC) up to BEL or ST (an unterminated one
# up to the end of its line), CSI with its parameters, and the other escapes (charset, save cursor, reset, ...).
_SEQUENCES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|(?=\n)|\Z)"  # OSC DCS SOS PM APC to BEL/ST
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI parameters intermediates final
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?",  # any other escape
    re.DOTALL,
)
# What is left: C0 except tab and newline, DEL, C1, and the bidi controls that reorder what the eye reads.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def strip_control(text: str) -> str:
    """`text` without terminal control sequences and control characters; tabs and newlines are kept."""
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


def safe_terminal_text(value: object) -> str:
    """Any value as text for rich's `console.print`: control sequences stripped, markup escaped."""
    return escape(strip_control(str(value)))


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet cannot run: strings starting like a formula get a leading `'`.

    Numbers (int, float, bool) and strings that are a plain number literal (`-0.5`) are kept as they are.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_START) or _NUMBER.fullmatch(value):
        return value
    return "'" + value
