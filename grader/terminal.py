"""The command line's two streams, as pytest and ruff use them: results on stdout, errors, warnings and
progress on stderr; -q keeps only results and errors, -v adds detail. Candidate text is escaped by callers
(grader.textsafe) before it reaches either stream."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console

from grader.textsafe import safe_terminal_text as safe

EXIT_OK = 0  # the command did its job (a grading completed, whatever the score)
EXIT_SOME_FAILED = 1  # batch: some submissions hit grader errors (re-run to retry them)
EXIT_CANNOT_GRADE = 2  # usage error, or the grader could not start: bad path, pack, sandbox, output folder
EXIT_NOT_GRADED = 3  # check: the submission itself could not be graded (report written, status not_graded)
EXIT_INTERRUPTED = 130

EXIT_CODES = (f"exit codes: {EXIT_OK} done (a grading completed, whatever the score); {EXIT_SOME_FAILED} batch: "
              f"some submissions hit grader errors; {EXIT_CANNOT_GRADE} usage error or the grader could not start "
              f"(bad path, pack, sandbox or output folder); {EXIT_NOT_GRADED} check: the submission could not be "
              f"graded (corrupt archive, nothing to grade; the report says why); {EXIT_INTERRUPTED} interrupted")


class Terminal:
    """Where a command's output goes; `print` is for results and is silenced by -q."""

    def __init__(self, quiet: int = 0, verbose: int = 0) -> None:
        self.out = Console(highlight=False)
        self.err = Console(stderr=True, highlight=False)
        self.quiet, self.verbose = quiet, verbose

    @property
    def width(self) -> int:
        """The width results are laid out for (the terminal's, or $COLUMNS / 80 when stdout is not one)."""
        return self.out.width

    def print(self, *objects, **kwargs) -> None:
        if not self.quiet:
            self.out.print(*objects, **kwargs)

    def result(self, *objects, **kwargs) -> None:
        """The one line a script waits for: printed even with -q."""
        self.out.print(*objects, **kwargs)

    def note(self, message: str) -> None:
        """Progress and first-use notices, on stderr; silenced by -q."""
        if not self.quiet:
            self.err.print(safe(message), soft_wrap=True)

    def warning(self, message: str) -> None:
        self.err.print(f"[yellow]warning:[/] {safe(message)}", soft_wrap=True)

    def error(self, message: str, code: int = EXIT_CANNOT_GRADE) -> int:
        self.err.print(f"[bold red]grader: error:[/] {safe(message)}", soft_wrap=True)
        return code

    @contextlib.contextmanager
    def status(self, message: str) -> Iterator[object]:
        """A spinner on stderr when it is a terminal (a silent stand-in otherwise or with -q)."""
        if self.quiet or not self.err.is_terminal:
            yield _Silent()
            return
        with self.err.status(message) as status:
            yield status


class _Silent:
    def update(self, *_args, **_kwargs) -> None:
        return None
