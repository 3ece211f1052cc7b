"""Which of a submission's files its own .gitignore files leave out of version control.

A working folder graded in place (a candidate's mock attempt, a clone with local data) holds files that are
never committed: the data the paper says not to submit, outputs, caches. Each .gitignore applies to the
folder it sits in, as in git (pathspec's GitIgnoreSpec implements git's pattern rules).
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pathspec

from checks.context import CheckContext

MAX_GITIGNORE_BYTES = 64 * 1024


def git_ignored(ctx: CheckContext) -> set[str]:
    """The files of ctx.all_files matched by a .gitignore in their folder or above it."""
    specs: list[tuple[PurePosixPath, pathspec.GitIgnoreSpec]] = []
    for rel in ctx.all_files:
        path = PurePosixPath(rel)
        if path.name != ".gitignore":
            continue
        text = ctx.read_text(rel, MAX_GITIGNORE_BYTES)
        if text:
            specs.append((path.parent, pathspec.GitIgnoreSpec.from_lines(text.splitlines())))
    ignored = set()
    for rel in ctx.all_files:
        path = PurePosixPath(rel)
        for base, spec in specs:
            if path.name != ".gitignore" and path.is_relative_to(base) and spec.match_file(
                    path.relative_to(base).as_posix()):
                ignored.add(rel)
                break
    return ignored
