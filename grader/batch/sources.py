"""Which submissions a batch grades: the entries of a folder, or a CSV of candidate id -> location."""

from __future__ import annotations

import csv
import fnmatch
import re
from dataclasses import dataclass, replace
from pathlib import Path

from grader.intake.workspace import is_git_source

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".bundle", ".git")
ID_COLUMNS = ("candidate_id", "candidate", "id")
LOCATION_COLUMNS = ("location", "path", "submission")
MAX_ID_LENGTH = 80
NOT_SUBMISSIONS = {".csv", ".json", ".md", ".txt", ".log", ".toml", ".yaml", ".yml", ".html"}  # cohort metadata


class SourceError(ValueError):
    """SRC cannot be read at all (no such folder, a CSV without the needed columns); the batch cannot start."""


@dataclass(frozen=True)
class Candidate:
    """One submission of the cohort: who, where, and what is wrong with the entry before any grading."""

    id: str
    location: Path
    problem: str | None = None  # e.g. "location does not exist": recorded as a failure, never graded
    source: str = ""  # who the entry is (the folder entry's name, the CSV's candidate id): its id stays bound to it


def candidate_id(name: str) -> str:
    """A file-system-safe id from a folder or archive name (the archive suffix dropped)."""
    for suffix in ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")[:MAX_ID_LENGTH]
    return slug or "submission"


def _looks_like_submission(path: Path) -> str | None:
    """None when the entry can be graded, else why it is not a submission."""
    if path.is_symlink():
        return "a symbolic link; batch folders must hold the submissions themselves"
    if path.is_dir():
        return None
    if not path.is_file():
        return "not a regular file or folder"
    if path.name.lower().endswith(ARCHIVE_SUFFIXES) or is_git_source(path):
        return None
    return "not a submission: expected a folder, .zip, .tar(.gz) or git bundle"


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: dict[str, int] = {}
    out = []
    for cand in candidates:
        count = seen.get(cand.id, 0)
        seen[cand.id] = count + 1
        out.append(cand if count == 0 else replace(cand, id=f"{cand.id}-{count + 1}"))
    return out


def from_folder(src: Path, exclude: tuple[str, ...] = ()) -> list[Candidate]:
    """Every visible entry of `src`; files that cannot be submissions are kept as failures, not dropped."""
    candidates = []
    for entry in sorted(src.iterdir()):
        if entry.name.startswith(".") or entry.suffix.lower() in NOT_SUBMISSIONS and entry.is_file():
            continue
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in exclude):
            continue
        candidates.append(Candidate(candidate_id(entry.name), entry, _looks_like_submission(entry), source=entry.name))
    return _unique(candidates)


def _column(header: list[str], names: tuple[str, ...], csv_path: Path) -> int:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    raise SourceError(f"{csv_path}: no column named {' or '.join(names)} in the header {header}")


def _csv_rows(csv_path: Path) -> list[list[str]]:
    """The CSV's rows, header first; a file that cannot be read or holds nothing is a SourceError."""
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{csv_path}: cannot be read as UTF-8 text ({exc})") from exc
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise SourceError(f"{csv_path}: empty; expected a header `candidate_id,location` and one row per candidate")
    return rows


def _row_problem(csv_path: Path, number: int, raw_id: str, raw_loc: str, location: Path) -> str | None:
    """Why a row's candidate cannot be graded (no id, no location, a missing path, no submission), else None."""
    if not raw_id or not raw_loc:
        return f"{csv_path}:{number}: the row has no {'candidate id' if not raw_id else 'location'}"
    if not location.exists():
        return f"{csv_path}:{number}: {raw_loc} does not exist"
    return _looks_like_submission(location)


def from_csv(csv_path: Path, exclude: tuple[str, ...] = ()) -> list[Candidate]:
    """Rows of `candidate_id,location`; relative locations are taken from the CSV's folder."""
    rows = _csv_rows(csv_path)
    id_col = _column(rows[0], ID_COLUMNS, csv_path)
    loc_col = _column(rows[0], LOCATION_COLUMNS, csv_path)
    candidates = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        raw_id = row[id_col].strip() if id_col < len(row) else ""
        raw_loc = row[loc_col].strip() if loc_col < len(row) else ""
        ident = candidate_id(raw_id) if raw_id else f"row-{number}"
        if any(fnmatch.fnmatch(ident, pattern) for pattern in exclude):
            continue
        location = Path(raw_loc).expanduser()
        if raw_loc and not location.is_absolute():
            location = csv_path.parent / location
        problem = _row_problem(csv_path, number, raw_id, raw_loc, location)
        source = raw_id or f"row-{number}"
        seen[source] = seen.get(source, 0) + 1
        if seen[source] > 1:  # the same id twice in one CSV: the k-th row with it is a source of its own
            source = f"{source}#{seen[source]}"
        candidates.append(Candidate(ident, location, problem, source=source))
    return _unique(candidates)


def discover(src: Path, exclude: tuple[str, ...] = ()) -> list[Candidate]:
    """The cohort named by SRC: a folder of submissions or a CSV file."""
    if src.is_file() and src.suffix.lower() == ".csv":
        return from_csv(src, exclude)
    if src.is_dir():
        if is_git_source(src):
            raise SourceError(f"{src}: a single git repository; pass the folder that holds the submissions")
        return from_folder(src, exclude)
    raise SourceError(f"{src}: neither a folder of submissions nor a .csv of candidate_id,location")
