"""The candidate's written words, with where they sit: README lines, notebook markdown, docstrings, comments.

Shared by the checks that ask whether a choice is explained and whether the explanation names this data."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

from checks.context import CheckContext, SourceFile
from checks.notebooks import load_notebook

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9`*(])|\n\s*[-*+]\s+|\n\s*\d+\.\s+|\n{2,}|\|")
MAX_SENTENCES = 5000


@dataclass(frozen=True)
class Sentence:
    """One sentence (or list item, or table cell) of prose and its location."""

    text: str
    path: str
    line: int
    where: str  # readme | notebook | docstring | comment


def _split(text: str, path: str, first_line: int, where: str) -> list[Sentence]:
    out = []
    pos = 0
    for match in [*SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end].strip()
        if len(chunk.split()) >= 3:
            out.append(Sentence(" ".join(chunk.split()), path, first_line + text.count("\n", 0, pos), where))
        pos = match.end() if match else len(text)
    return out


def readme_sentences(ctx: CheckContext) -> list[Sentence]:
    text = ctx.read_text(ctx.readme) if ctx.readme else None
    return _split(text, ctx.readme, 1, "readme") if text else []


def notebook_sentences(ctx: CheckContext) -> list[Sentence]:
    view = load_notebook(ctx)
    if view is None or view.problem:
        return []
    out: list[Sentence] = []
    for number, text in view.markdown:
        out.extend(_split(text, view.path, number, "notebook"))
    return out


DECISION_HEADER = re.compile(r"decision|action|pipeline|handl|treat|response|what (i|we) do|how .* used|\bfix|"
                             r"\bstep\b|consequence|implication|→|->", re.I)
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def decision_table_rows(ctx: CheckContext) -> list[Sentence]:
    """Body rows of markdown tables (notebook or README) whose header has a decision column, one Sentence each."""
    texts = []
    view = load_notebook(ctx)
    if view is not None and not view.problem:
        texts.extend((text, view.path, number, "notebook") for number, text in view.markdown)
    readme = ctx.read_text(ctx.readme) if ctx.readme else None
    if readme:
        texts.append((readme, ctx.readme, 1, "readme"))
    rows: list[Sentence] = []
    for text, path, first_line, where in texts:
        rows.extend(_table_rows(text, path, first_line, where))
    return rows[:MAX_SENTENCES]


def _table_rows(text: str, path: str, first_line: int, where: str) -> list[Sentence]:
    lines = text.splitlines()
    rows: list[Sentence] = []
    for i in range(1, len(lines)):
        if not (TABLE_RULE.match(lines[i]) and "|" in lines[i - 1] and DECISION_HEADER.search(lines[i - 1])):
            continue
        for j in range(i + 1, len(lines)):
            if "|" not in lines[j]:
                break
            cells = [c.strip() for c in lines[j].strip().strip("|").split("|")]
            if sum(bool(c) for c in cells) >= 2:
                rows.append(Sentence(" | ".join(cells), path, first_line + j, where))
    return rows


def code_sentences(sources: list[SourceFile]) -> list[Sentence]:
    """Docstrings and comments of the given parsed files."""
    out: list[Sentence] = []
    for src in sources:
        for node in ast.walk(src.tree) if src.tree is not None else ():
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                doc = ast.get_docstring(node, clean=False)
                if doc:
                    line = node.body[0].lineno if node.body else 1
                    out.extend(_split(doc, src.path, line, "docstring"))
        out.extend(_comments(src))
    return out


def _comments(src: SourceFile) -> list[Sentence]:
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(src.text or "").readline):
            if tok.type == tokenize.COMMENT:
                text = tok.string.lstrip("#").strip()
                if len(text.split()) >= 3:
                    out.append(Sentence(text, src.path, tok.start[0], "comment"))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def all_sentences(ctx: CheckContext, sources: list[SourceFile]) -> list[Sentence]:
    return (readme_sentences(ctx) + notebook_sentences(ctx) + code_sentences(sources))[:MAX_SENTENCES]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def column_matcher(columns: tuple[str, ...]) -> re.Pattern | None:
    """A pattern finding any dataset column in normalised text (`Campaign Calls`, campaign_calls, CampaignCalls)."""
    names = {form for column in columns for form in _spellings(column) if len(form) >= 3}
    if not names:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")


def columns_named(text: str, matcher: re.Pattern | None, columns: tuple[str, ...]) -> set[str]:
    """The dataset columns a piece of text names (under any of their spellings)."""
    if matcher is None:
        return set()
    found = {m.group(1) for m in matcher.finditer(_norm(_split_camel(text)))}
    found |= {m.group(1) for m in matcher.finditer(_norm(text))}
    return {column for column in columns if _spellings(column) & found}


def _split_camel(text: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)


def _spellings(column: str) -> set[str]:
    """A column's normalised spellings: `Campaign Calls`, campaign_calls and CampaignCalls all match."""
    norm = _norm(column)
    return {norm, _norm(_split_camel(column)), norm.replace(" ", "")}
