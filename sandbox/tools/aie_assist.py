"""The assisted re-run's repairs, applied inside the sandbox to its own copy of the submission.

Reads a JSON plan from AIE_ASSIST_PLAN, applies only what it lists (each repair is one mechanical
fix an assessor would make by hand), prints what it did to stderr, then runs `bash run.sh`.

Every path a repair touches is the candidate's own and stays inside the workspace: a path that
leaves it, passes through a symbolic link, lies under a virtualenv, site-packages, dist-packages,
node_modules, .git or __pycache__, or names a file over MAX_FILE_BYTES is refused, and files are
opened with O_NOFOLLOW. The shell and path rules here are also what the grader plans with
(grader/run/assist.py imports them), so what is planned and what is applied follow one rule.
Stdlib only: this runs as `python3 -S`, and sandbox/tools/aie_nbrun.py imports place().
"""

import json
import os
import re
import stat
import sys

MAX_FILE_BYTES = 1_000_000
SKIP_PARTS = frozenset({"site-packages", "dist-packages", "node_modules", ".git", "__pycache__"})
VENV_MARKERS = ("pyvenv.cfg", "bin/activate", "Scripts/activate")
SITE_PACKAGES = re.compile(r"(?:^|/)(?:lib/python3[^/]*|Lib)/site-packages(?:/|$)")
# what may precede a command in its segment: `then pip install ...`, `{ source venv/bin/activate; }`
LEAD = re.compile(r"^\s*(?:(?:then|do|else|!)\s+|[{(]\s*)*")
REMOVED = "# removed by the grader's assisted re-run:"


def say(message):
    print(f"AIE-ASSIST {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- which paths are the candidate's


def foreign(rel, is_venv):
    """Why rel (relative to the workspace) is not the candidate's own file, or None when it is.

    is_venv(folder) says whether a folder (relative, "/"-separated) is a virtualenv.
    """
    parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
    skipped = next((p for p in parts if p in SKIP_PARTS), None)
    if skipped:
        return f"under {skipped}/"
    if SITE_PACKAGES.search("/".join(parts)):
        return "under a site-packages folder"
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if is_venv(folder):
            return f"inside the virtualenv {folder}/"
    return None


def venv_on_disk(work):
    """is_venv for the workspace's file system: pyvenv.cfg, bin/activate or lib/python3.*/site-packages."""

    def is_venv(folder):
        path = os.path.join(work, folder)
        if any(os.path.lexists(os.path.join(path, marker)) for marker in VENV_MARKERS):
            return True
        if os.path.isdir(os.path.join(path, "Lib", "site-packages")):
            return True
        lib = os.path.join(path, "lib")
        try:
            names = os.listdir(lib) if os.path.isdir(lib) and not os.path.islink(lib) else []
        except OSError:
            return False
        return any(n.startswith("python3") and os.path.isdir(os.path.join(lib, n, "site-packages")) for n in names)

    return is_venv


def resolve(work, rel):
    """The absolute path of rel in the workspace, or None: outside it, through a link, or not the candidate's."""
    if not isinstance(rel, str) or not rel or os.path.isabs(rel) or "\\" in rel:
        return None
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if not parts or ".." in parts or foreign(rel, venv_on_disk(work)):
        return None
    path = work
    for part in parts:
        path = os.path.join(path, part)
        if os.path.islink(path):
            return None
    return path


def read_own(path):
    """The text of a regular file (no link, one hard link, within MAX_FILE_BYTES), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1 or info.st_size > MAX_FILE_BYTES:
            return None
        return fh.read(MAX_FILE_BYTES + 1).decode("utf-8", "surrogateescape")


def write_own(path, text):
    """Rewrite an existing regular file without following a link."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
    with os.fdopen(fd, "wb") as fh:
        fh.write(text.encode("utf-8", "surrogateescape"))


# ---------------------------------------------------------------- run.sh's install / activate commands


def split_commands(line):
    """The line cut at &&, ||, ;, | and & outside quotes: [command, separator, command, ...].

    "".join() of the result is the line; a comment stays at the end of the last command.
    """
    pieces, start, i, quote = [], 0, 0, None
    while i < len(line):
        ch = line[i]
        if quote or ch in "\\'\"":
            i, quote = _quoting(line, i, quote)
            continue
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
            break
        width = _separator_width(line, i)
        if width:
            pieces += [line[start:i], line[i:i + width]]
            start = i = i + width
            continue
        i += 1
    pieces.append(line[start:])
    return pieces


def _quoting(line, i, quote):
    """One step through quotes and backslashes: (next index, the quote still open or None)."""
    ch = line[i]
    if ch == "\\" and quote != "'":
        return i + 2, quote
    if quote:
        return i + 1, (None if ch == quote else quote)
    return i + 1, ch


def _separator_width(line, i):
    """The width of a command separator at line[i] (0 when there is none); `2>&1` and `&>` are redirects."""
    ch = line[i]
    if ch not in ";|&" or (ch == "&" and (line[i - 1:i] in (">", "<") or line[i + 1:i + 2] == ">")):
        return 0
    return 2 if line[i:i + 2] in ("&&", "||", ";;") else 1


def env_command(command, patterns):
    """Whether one command (bar a leading then / do / else / { / () installs packages or handles an environment."""
    body = command[LEAD.match(command).end():]
    return any(re.search(p, body) for p in patterns)


def logical_lines(text):
    """The script's lines, a line ending in a backslash joined with the next (as bash reads them)."""
    lines, current = [], ""
    for line in text.splitlines():
        current += line
        if (len(line) - len(line.rstrip("\\"))) % 2 == 1:
            current += "\n"
            continue
        lines.append(current)
        current = ""
    if current:
        lines.append(current)
    return lines


def rewrite_script(text, patterns):
    """(new run.sh, removed commands): each install / activate command becomes `:`, the rest of its line stays."""
    out, removed = [], []
    for line in logical_lines(text):
        pieces = split_commands(line)
        for k in range(0, len(pieces), 2):
            command = pieces[k]
            if command.strip() and env_command(command, patterns):
                removed.append(" ".join(command.split()))
                lead = command[:LEAD.match(command).end()]
                pieces[k] = lead + ":" + command[len(command.rstrip()):]
        new = "".join(pieces)
        if new != line and new.strip() == ":":  # the whole line was one such command
            new = new[:len(new) - len(new.lstrip())] + ": " + REMOVED + " " + " ".join(line.split())
        out.append(new)
    return "\n".join(out) + "\n", removed


def strip_lines(patterns, work):
    """Neutralise run.sh's install / activate commands (the grader installed the requirements itself)."""
    path = resolve(work, "run.sh")
    text = read_own(path) if path else None
    if text is None:
        return
    new, removed = rewrite_script(text, patterns)
    if removed:
        write_own(path, new)
        for command in removed:
            say(f"removed from run.sh: {command}")


# ---------------------------------------------------------------- folders, links, data, edits


def make_folders(work, rel):
    """Create rel's missing folders one by one, refusing links and paths not the candidate's; the path or None."""
    target = resolve(work, rel)
    if target is None:
        return None
    path = work
    for part in [p for p in rel.split("/") if p not in ("", ".")]:
        path = os.path.join(path, part)
        if not os.path.lexists(path):
            os.mkdir(path)
        elif os.path.islink(path) or not os.path.isdir(path):
            return None
    return target


def place(work, rel, data_dir):
    """Link the staged data file named like rel's last part at rel (folders created); True when placed."""
    name = os.path.basename(rel or "")
    source = os.path.join(data_dir, name)
    target = resolve(work, rel)
    if not name or target is None or os.path.lexists(target) or not os.path.isfile(source):
        return False
    parent = os.path.dirname(rel)
    if parent and make_folders(work, parent) is None:
        return False
    os.symlink(os.path.abspath(source), target)
    return True


def link_data(dirs, work):
    """data/ and output/ linked into each folder run.sh changes into: the pipeline's relative paths then reach the
    contracted folders (its predictions land in output/, where the grader scores them)."""
    for rel in dirs:
        folder = resolve(work, rel)
        if not folder or not os.path.isdir(folder):
            continue
        for name in ("data", "output"):
            link = os.path.join(folder, name)
            if not os.path.lexists(link):
                os.makedirs(os.path.join(work, name), exist_ok=True)
                os.symlink(os.path.join(work, name), link)
                say(f"linked {rel}/{name} -> {name}/")


def make_dirs(dirs, work):
    for rel in dirs:
        if resolve(work, rel) and not os.path.lexists(os.path.join(work, rel)) and make_folders(work, rel):
            say(f"created folder {rel}/")


def place_data(items, work, data_dir):
    for item in items:
        rel = item.get("path", "") if isinstance(item, dict) else ""
        if place(work, rel, data_dir):
            say(f"data placed at {rel} where the pipeline reads it")


def edit(item, change, work):
    """Rewrite one file of the workspace with change(text) -> (new text, what was done) or None."""
    rel = item.get("file", "")
    path = resolve(work, rel)
    text = read_own(path) if path else None
    if text is None:
        say(f"{rel}: not edited (not the candidate's own regular file)")
        return
    outcome = change(text)
    if outcome:
        write_own(path, outcome[0])
        say(f"{rel}: {outcome[1]}")


def replace(items, work):
    for item in items:
        edit(item, lambda text, item=item: (text.replace(item["old"], item["new"]),
                                            f"replaced {item['old']!r} with {item['new']!r}")
             if item["old"] in text else None, work)


def set_config(items, work):
    for item in items:
        pattern = re.compile(rf"""(["']?{re.escape(item["key"])}["']?\s*[:=]\s*)(\d+)""")
        value = str(item["value"])

        def change(text, pattern=pattern, value=value, key=item["key"]):
            new, count = pattern.subn(lambda m: m.group(1) + value, text)
            return (new, f"set {key} = {value} ({count} place(s))") if count else None

        edit(item, change, work)


def apply(plan, work, data_dir):
    """Apply every repair of the plan to the workspace (each one on its own: one failing does not stop the rest)."""
    steps = (("strip_lines", lambda v: strip_lines(v, work)), ("link_data", lambda v: link_data(v, work)),
             ("place_data", lambda v: place_data(v, work, data_dir)), ("make_dirs", lambda v: make_dirs(v, work)),
             ("replace", lambda v: replace(v, work)), ("set_config", lambda v: set_config(v, work)))
    for key, step in steps:
        try:
            step(plan.get(key) or [])
        except (OSError, KeyError, TypeError, AttributeError) as exc:
            say(f"a repair ({key}) failed: {exc}")


def main():
    try:
        plan = json.loads(os.environ.get("AIE_ASSIST_PLAN", "{}"))
    except ValueError:
        plan = {}
    work = os.path.realpath(os.getcwd())
    apply(plan if isinstance(plan, dict) else {}, work, os.environ.get("AIE_DATA_DIR") or os.path.join(work, "data"))
    os.environ.pop("AIE_ASSIST_PLAN", None)
    os.execvp("bash", ["bash", "run.sh"])


if __name__ == "__main__":
    main()
