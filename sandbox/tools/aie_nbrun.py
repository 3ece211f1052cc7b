"""Re-executes a notebook top to bottom inside the sandbox and compares it with its stored outputs.

    python {tools}/aie_nbrun.py [--cell-timeout 120] [--total-timeout 600] [--] NOTEBOOK

Runs INSIDE the runner container (stdlib, nbformat and nbclient only). A fresh python3 kernel
(ipykernel) runs a copy of every code cell in order, in the notebook's folder; a failing cell does
not stop the run, a cell past its time limit is interrupted, and once the total time is spent the
remaining cells are `not_run`. Stored outputs are compared with the fresh ones: normalised text
(memory addresses, timings, float noise and spacing ignored) and the kinds of output (an image
stored but not produced, or the reverse, makes a cell stale; image bytes are not compared).

Before the kernel starts, the round's data is put where the notebook's code reads it, as an
assessor would: a string literal naming a data file (AIE_DATA_FILES) at a relative path that lands
inside the workspace where no file is gets a link to the staged file; each placement, and each path
that cannot be placed (outside the workspace), is a note in the result.

Whatever happens (unreadable notebook, no code, a kernel that dies or hangs) the LAST line of
stdout is `AIE-NBRUN {json}`. The candidate's code shares this container, so the kernel's stdout
and stderr go to this process's stderr, this process becomes non-dumpable (the kernel cannot open
/proc/<pid>/fd/1 to print a forged line), and the grader reads only the last marker line.
"""

import argparse
import asyncio
import copy
import ctypes
import importlib.util
import json
import math
import os
import re
import sys
import tempfile
import threading
import time

MARKER = "AIE-NBRUN "
MAX_NOTEBOOK_BYTES = 50_000_000
MAX_TABLE_CELLS = 400  # the line must stay well inside the grader's 192 KB stdout tail
MAX_COMPARED_CHARS = 200_000
ERROR_CHARS = 300
WATCHDOG_GRACE_S = 20.0  # after the total timeout, report whatever is known and exit
PROBE_TIMEOUT_S = 10.0  # how long an interrupted kernel has to become responsive again
TIMEOUT_ENAME = "CellTimeoutError"
IGNORED_KINDS = {"stderr"}  # warnings differ between library versions: listed, not compared

ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds?|min|mins|minutes?)\b")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
SPACES = re.compile(r"\s+")
STRING = re.compile(r"""(["'])([^"'\n]{1,300})\1""")
SQLITE_URL = re.compile(r"^sqlite:///")
OUTSIDE = re.compile(r"^(?:[A-Za-z]:/|~)")  # a Windows drive or a home folder: never inside the workspace
MAX_NOTES = 20

_emit_lock = threading.Lock()
_real_stdout = None  # a private copy of fd 1: the only way to the grader's stdout


# ---------------------------------------------------------------- the report


def new_report(notebook):
    return {"notebook": str(notebook)[:300], "cells": [], "code_cells": 0, "failed": 0, "timed_out": False,
            "out_of_order": False, "unexecuted_with_code": 0, "stale_cells": 0, "seconds": 0.0,
            "kernel_error": None, "cells_truncated": False, "notes": []}


def finish(report, rows, started):
    """Fill the totals from the per-cell rows (all of them), keep at most MAX_TABLE_CELLS in the table."""
    report["code_cells"] = len(rows)
    report["failed"] = sum(1 for r in rows if r["status"] in ("error", "timeout"))
    report["stale_cells"] = sum(1 for r in rows if r["stale"])
    report["cells"] = rows[:MAX_TABLE_CELLS]
    report["cells_truncated"] = len(rows) > MAX_TABLE_CELLS
    report["seconds"] = round(time.monotonic() - started, 3)
    return report


def emit(report):
    """Print the one result line, once, to the real stdout, and leave at once (no atexit, no zmq teardown)."""
    if not _emit_lock.acquire(blocking=False):
        return
    line = MARKER + json.dumps(report, separators=(",", ":"), default=str) + "\n"
    fd = _real_stdout if _real_stdout is not None else 1
    try:
        sys.stderr.flush()
        data = line.encode("utf-8", "replace")
        while data:
            data = data[os.write(fd, data):]
    finally:
        os._exit(0)


# ---------------------------------------------------------------- isolation of this process


def contain():
    """Keep the candidate's code away from this process's stdout and from the tool's imports."""
    global _real_stdout
    layer = os.environ.get("AIE_ENV_LAYER")  # the candidate's requirements: for the kernel, not for nbclient
    if layer and layer in sys.path:
        sys.path.remove(layer)
    sys.stdout.flush()
    _real_stdout = os.dup(1)  # not inheritable: the kernel never gets it
    os.dup2(2, 1)  # fd 1 of this process, and so of the kernel it starts, is stderr
    sys.stdout = sys.stderr
    try:  # PR_SET_DUMPABLE = 4: /proc/<this pid>/fd and /mem become unreadable to same-uid processes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except Exception:  # noqa: BLE001 - a weaker isolation still gives a result
        pass


def kernel_environment(notebook_dir):
    runtime = "/tmp/aie-nbrun"
    for sub in ("runtime", "ipython", "data", "config"):
        os.makedirs(os.path.join(runtime, sub), exist_ok=True)
    os.environ.update({
        "JUPYTER_RUNTIME_DIR": os.path.join(runtime, "runtime"),
        "JUPYTER_DATA_DIR": os.path.join(runtime, "data"),
        "JUPYTER_CONFIG_DIR": os.path.join(runtime, "config"),
        "IPYTHONDIR": os.path.join(runtime, "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # what Jupyter gives a notebook: inline figures (the image sets MPLBACKEND=Agg for pipelines)
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    })
    return {"metadata": {"path": notebook_dir}}


# ---------------------------------------------------------------- reading the stored notebook


def read_notebook(path):
    """(notebook, problem): the stored notebook as nbformat v4, or why it cannot be run."""
    import nbformat

    try:
        size = os.path.getsize(path)
    except OSError as exc:
        return None, f"the notebook cannot be read ({exc.strerror})"
    if size > MAX_NOTEBOOK_BYTES:
        return None, f"the notebook is larger than {MAX_NOTEBOOK_BYTES} bytes"
    try:
        with open(path, encoding="utf-8") as fh:
            nb = nbformat.read(fh, as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
        for cell in nb.cells:
            if not isinstance(cell, dict):
                raise ValueError("a cell is not an object")
            if not isinstance(cell.get("source", ""), str):
                cell["source"] = "".join(str(s) for s in cell.get("source") or [])
    except Exception as exc:  # noqa: BLE001 - nbformat raises many types on malformed files
        return None, f"not a readable notebook ({type(exc).__name__}: {str(exc)[:160]})"
    return nb, None


def stored_count(cell):
    count = cell.get("execution_count")
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def code_cells(nb):
    """(1-based number among all cells, cell) for every code cell, as checks/eda.py numbers them."""
    return [(number, cell) for number, cell in enumerate(nb.cells, start=1) if cell.get("cell_type") == "code"]


def out_of_order(cells):
    """Stored counts not strictly increasing top to bottom, or outputs stored without a count."""
    last = None
    for _number, cell in cells:
        count = stored_count(cell)
        if count is None:
            if cell.get("outputs"):
                return True
            continue
        if last is not None and count <= last:
            return True
        last = count
    return False


# ---------------------------------------------------------------- the data where the notebook reads it


def data_names(data_dir):
    """The round's data file names: AIE_DATA_FILES (a JSON list, set by the grader) or the staged folder's files."""
    try:
        names = json.loads(os.environ.get("AIE_DATA_FILES") or "null")
    except ValueError:
        names = None
    if not isinstance(names, list):
        try:
            names = [n for n in os.listdir(data_dir) if os.path.isfile(os.path.join(data_dir, n))]
        except OSError:
            names = []
    return [n for n in names if isinstance(n, str) and n not in ("", ".", "..") and "/" not in n]


def data_literals(nb, names):
    """The path literals of the notebook's code cells that name a data file ("/"-separated, sqlite:/// dropped)."""
    found = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for match in STRING.finditer(cell.get("source") or ""):
            path = SQLITE_URL.sub("", match.group(2).strip().replace("\\\\", "/").replace("\\", "/"))
            if path.rsplit("/", 1)[-1] in names and path not in found:
                found.append(path)
    return found


def _assist_tool():
    """sandbox/tools/aie_assist.py (its place() and path rules), loaded from next to this file."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aie_assist.py")
    spec = importlib.util.spec_from_file_location("aie_nbrun_assist", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def place_data(nb, notebook, work, data_dir, names):
    """Link the staged data where the notebook's code reads it, as an assessor would; one note per path.

    A relative path (from the notebook's folder) that lands inside the workspace where no file is gets a
    link to the staged file (its folders created, never through a link or into a virtualenv); a path
    outside the workspace cannot be placed (the sandbox's root file system is read-only) and is noted.
    """
    notes = []
    base = os.path.dirname(os.path.abspath(notebook))
    for path in data_literals(nb, names):
        if OUTSIDE.match(path):
            notes.append(f"the notebook reads {path}, outside the workspace: the data cannot be placed there")
            continue
        target = os.path.normpath(os.path.join(base, path))
        if os.path.lexists(target):
            continue
        rel = os.path.relpath(target, work)
        if rel == ".." or rel.startswith("../"):
            notes.append(f"the notebook reads {path}, which resolves outside the workspace ({target}): the data "
                         f"cannot be placed there (the sandbox's root file system is read-only)")
        elif _assist_tool().place(work, rel, data_dir):
            notes.append(f"data placed at {rel} where the notebook reads it ({path!r}), as an assessor would")
        else:
            notes.append(f"the notebook reads {path}: the data was not placed at {rel} (a link, a virtualenv "
                         f"or a file in the way)")
    return notes[:MAX_NOTES]


# ---------------------------------------------------------------- comparing outputs


def kinds(outputs):
    found = set()
    for out in outputs or []:
        if not isinstance(out, dict):
            continue
        kind = out.get("output_type")
        if kind == "stream":
            found.add("stderr" if out.get("name") == "stderr" else "stdout")
        elif kind == "error":
            found.add("error")
        elif kind in ("execute_result", "display_data"):
            for mime in out.get("data") or {}:
                if mime.startswith("image/"):
                    found.add("image")
                elif mime == "text/plain":
                    found.add("text")
                elif mime == "text/html":
                    found.add("html")
                else:
                    found.add(str(mime)[:40])
    return sorted(found)


def _text(value):
    return "".join(value) if isinstance(value, list) else str(value or "")


def texts(outputs):
    """(stdout, [text/plain, ...]): what a reader sees as text, in a comparable order."""
    stdout, plain = [], []
    for out in outputs or []:
        if not isinstance(out, dict):
            continue
        if out.get("output_type") == "stream" and out.get("name") != "stderr":
            stdout.append(_text(out.get("text")))
        elif out.get("output_type") in ("execute_result", "display_data"):
            data = out.get("data") or {}
            if "text/plain" in data:
                plain.append(_text(data["text/plain"]))
    return "".join(stdout), plain


def normalise(text):
    """(skeleton, numbers): the text with addresses, timings and spacing neutralised, numbers apart."""
    text = text[:MAX_COMPARED_CHARS]
    text = ADDRESS.sub("0x?", text)
    text = TIMING.sub("<time>", text)
    numbers = []

    def keep(match):
        try:
            numbers.append(float(match.group(0)))
        except ValueError:
            return match.group(0)
        return "#"

    skeleton = SPACES.sub(" ", NUMBER.sub(keep, text)).strip()
    return skeleton, numbers


def same_text(a, b):
    skeleton_a, numbers_a = normalise(a)
    skeleton_b, numbers_b = normalise(b)
    if skeleton_a != skeleton_b or len(numbers_a) != len(numbers_b):
        return False
    return all(x == y or math.isclose(x, y, rel_tol=1e-3, abs_tol=1e-9)  # ~4 significant digits
               for x, y in zip(numbers_a, numbers_b, strict=True))


def stale(stored, fresh):
    """Whether the stored outputs differ from those of the fresh run."""
    if set(kinds(stored)) - IGNORED_KINDS != set(kinds(fresh)) - IGNORED_KINDS:
        return True
    stored_out, stored_plain = texts(stored)
    fresh_out, fresh_plain = texts(fresh)
    if len(stored_plain) != len(fresh_plain):
        return True
    return not all(same_text(a, b) for a, b in zip([stored_out, *stored_plain], [fresh_out, *fresh_plain],
                                                   strict=True))


# ---------------------------------------------------------------- the run


def first_error(outputs):
    for out in outputs or []:
        if isinstance(out, dict) and out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"
    return None


async def wait_idle(client, timeout):
    """True when the kernel answers a kernel_info request within timeout (it finished the last cell)."""
    from queue import Empty

    from nbclient.util import ensure_async

    msg_id = await ensure_async(client.kc.kernel_info())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = await ensure_async(client.kc.shell_channel.get_msg(timeout=max(0.1, deadline - time.monotonic())))
        except Empty:
            return False
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return True
    return False


def notebook_client(fresh, replies, deadline, resources):
    """A client for a fresh python3 kernel that records each cell's execute reply in `replies` by cell index."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    def on_cell_executed(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content") or {}

    # IPC sockets, not TCP: a sandbox without a loopback interface (the local runner's netns) still works
    manager = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                 ip=os.path.join(tempfile.gettempdir(), f"aie-kernel-{os.getpid()}"))
    return NotebookClient(
        fresh, km=manager, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "", "traceback": []},
        startup_timeout=max(5, int(min(60, deadline - time.monotonic()))),
        skip_cells_with_tag="aie-grader-never-skips", record_timing=False, resources=resources,
        shutdown_kernel="immediate",
        on_cell_executed=on_cell_executed,
    )


class CellRunner:
    """Runs the code cells of the fresh copy one at a time on the client's kernel and fills in their rows."""

    def __init__(self, client, nb, replies, report, args, deadline):
        self.client, self.nb, self.replies = client, nb, replies
        self.report, self.args, self.deadline = report, args, deadline

    async def run_cell(self, cell, index, row, count, limit):
        """Run one cell within `limit` seconds; returns why the remaining cells are not run, or None."""
        from nbclient.exceptions import DeadKernelError

        self.client.timeout = max(1, int(math.ceil(limit)))
        started = time.monotonic()
        try:
            await self.client.async_execute_cell(cell, index, execution_count=count)
        except DeadKernelError:
            row.update(status="error", error="DeadKernelError: the kernel died (memory limit?)",
                       seconds=round(time.monotonic() - started, 3))
            self.report["kernel_error"] = f"the kernel died while running cell {row['cell']}"
            return "dead kernel"
        except Exception as exc:  # noqa: BLE001 - nbclient lost the kernel: report, stop
            row.update(status="error", error=f"{type(exc).__name__}: {exc}"[:ERROR_CHARS],
                       seconds=round(time.monotonic() - started, 3))
            self.report["kernel_error"] = f"the re-execution broke down in cell {row['cell']}"
            return "client error"
        row["seconds"] = round(time.monotonic() - started, 3)
        reply = self.replies.pop(index, {})
        outputs = cell.get("outputs", [])
        row["fresh_kinds"] = kinds(outputs)
        if reply.get("status") == "error" and reply.get("ename") == TIMEOUT_ENAME:
            return await self.timed_out(row, limit)
        if reply.get("status") in ("error", "aborted") or (not reply and first_error(outputs)):
            error = first_error(outputs) or f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}"
            row.update(status="error", error=error[:ERROR_CHARS])
        else:
            row["status"] = "ok"
            row["stale"] = row["stored_count"] is not None or bool(row["stored_kinds"])
            row["stale"] = row["stale"] and stale(self.nb.cells[index].get("outputs"), outputs)
        return None

    async def timed_out(self, row, limit):
        """A cell stopped at its limit: the total budget ran out, or the kernel must answer before going on."""
        row.update(status="timeout", error=f"{TIMEOUT_ENAME}: the cell ran over its {limit:.0f} s limit")
        if limit < self.args.cell_timeout:  # the total budget ran out in this cell
            row["error"] = f"{TIMEOUT_ENAME}: the total limit of {self.args.total_timeout:.0f} s ran out here"
            self.report["timed_out"] = True
            return "total timeout"
        if not await wait_idle(self.client, min(PROBE_TIMEOUT_S, max(1, self.deadline - time.monotonic()))):
            self.report["kernel_error"] = f"the kernel did not stop cell {row['cell']} after its timeout"
            return "stuck kernel"
        return None


async def execute(nb, rows, by_number, report, args, deadline, resources):
    """Run every code cell that has a row, in order, until the total time is spent or the kernel is lost."""
    fresh = copy.deepcopy(nb)
    replies = {}
    client = notebook_client(fresh, replies, deadline, resources)
    runner = CellRunner(client, nb, replies, report, args, deadline)
    executed = 0
    stop = None  # why the remaining cells are not run
    try:
        async with client.async_setup_kernel():
            for index, cell in enumerate(fresh.cells):
                row = by_number.get(index + 1)
                if row is None:
                    continue
                remaining = deadline - time.monotonic()
                if stop or remaining < 1:
                    if not stop:
                        report["timed_out"] = True
                        stop = "total timeout"
                    continue
                executed += 1
                stop = await runner.run_cell(cell, index, row, executed, min(args.cell_timeout, remaining))
    except Exception as exc:  # noqa: BLE001 - a kernel that cannot start is a result, not a crash
        if report["kernel_error"] is None:
            report["kernel_error"] = f"{type(exc).__name__}: {str(exc)[:ERROR_CHARS]}"


def run(args, report, rows, started):
    deadline = started + args.total_timeout
    notebook = os.path.abspath(args.notebook)
    nb, problem = read_notebook(notebook)
    if nb is None:
        report["kernel_error"] = problem
        return finish(report, rows, started)
    work = os.path.realpath(os.getcwd())
    data_dir = os.environ.get("AIE_DATA_DIR") or os.path.join(work, "data")
    try:
        report["notes"] = place_data(nb, notebook, work, data_dir, data_names(data_dir))
    except OSError as exc:
        report["notes"] = [f"placing the data where the notebook reads it failed: {exc}"[:ERROR_CHARS]]
    for note in report["notes"]:
        print(f"AIE-NBRUN-NOTE {note}", file=sys.stderr, flush=True)
    cells = code_cells(nb)
    report["out_of_order"] = out_of_order(cells)
    for number, cell in cells:
        if not cell.get("source", "").strip():
            continue
        rows.append({"cell": number, "stored_count": stored_count(cell), "status": "not_run", "error": None,
                     "seconds": 0.0, "stale": False, "stored_kinds": kinds(cell.get("outputs")),
                     "fresh_kinds": []})
    report["unexecuted_with_code"] = sum(1 for r in rows if r["stored_count"] is None)
    if not rows:
        report["kernel_error"] = "the notebook has no code cell to run"
        return finish(report, rows, started)
    watchdog = threading.Timer(args.total_timeout + WATCHDOG_GRACE_S, _watchdog, (report, rows, started))
    watchdog.daemon = True
    watchdog.start()
    resources = kernel_environment(os.path.dirname(notebook))
    asyncio.run(execute(nb, rows, {r["cell"]: r for r in rows}, report, args, deadline, resources))
    watchdog.cancel()
    return finish(report, rows, started)


def _watchdog(report, rows, started):
    report["timed_out"] = True
    report["kernel_error"] = report["kernel_error"] or "the re-execution did not end within its total timeout"
    emit(finish(report, list(rows), started))


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="aie_nbrun.py", description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--cell-timeout", type=float, default=120.0)
    parser.add_argument("--total-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    args.cell_timeout = max(1.0, args.cell_timeout)
    args.total_timeout = max(1.0, args.total_timeout)
    return args


def main(argv=None):
    started = time.monotonic()
    contain()
    notebook = next((a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("-")), "")
    report = new_report(notebook)
    rows = []
    try:
        args = parse_args(argv)
        report["notebook"] = args.notebook[:300]
        run(args, report, rows, started)
    except BaseException as exc:  # noqa: BLE001 - the result line is printed whatever happened
        report["kernel_error"] = report["kernel_error"] or f"{type(exc).__name__}: {str(exc)[:ERROR_CHARS]}"
        finish(report, rows, started)
    emit(report)


if __name__ == "__main__":
    main()
