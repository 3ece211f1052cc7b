"""The in-sandbox tracer: records what a pipeline does with its data, as JSON lines.

Loaded by hook.py in every Python process of a traced run. Events go over a Unix socket to a
collector on the host (sandbox/trace.py): the candidate's processes can add to the record but never
rewrite it. It records every scikit-learn-style estimator's
fit / transform / predict (any class derived from sklearn.base.BaseEstimator, including the
candidate's own, XGBoost's and LightGBM's), every train_test_split and cross-validation call,
every SQLite database opened and whether rows were read from it, and uncaught exceptions.
Rows are identified by sampled hashes of the pandas index and of the row contents, so the grader
can tell which rows a transformer was fitted on and where the test split's rows went.

Nothing here may change what the candidate's program computes: every recording step is wrapped,
and a failure to record is itself recorded and otherwise ignored.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import inspect
import io
import json
import os
import socket
import sys
import threading
import time

SOCKET_PATH = ""  # set by install(): the collector's socket
DATA_DIR = "/work/data"
DATA_FILES: frozenset[str] = frozenset()  # the round's files in DATA_DIR; empty: anything under DATA_DIR
MAX_EVENTS = 20000
MAX_DEPTH = 2  # deeper calls (trees inside a forest inside a search) are only counted when they fit a model
SAMPLE_MOD = 16  # keep the row hashes divisible by this: a 1/16 sample, the same rows in every event
MAX_SAMPLE = 4000
MAX_CELLS_FOR_HASH = 20_000_000
METHODS = ("fit", "fit_transform", "transform", "predict", "predict_proba", "decision_function", "score",
           "fit_predict")
ROOT_ENV = "AIE_TRACE_ROOT_PID"


class _State(threading.local):
    depth = 0
    busy = False


_state = _State()
_lock = threading.Lock()
_sock = None
_sock_pid = 0  # the process that opened _sock: a forked child opens its own
_count = 0
_pid = os.getpid()
_root_pid = _pid
_child = False
_db_rows: dict[str, int] = {}
_db_reported: set[str] = set()


def _cmdline() -> list[str]:
    """This process's argv, read from /proc (sys.argv does not exist yet when the hook runs this early)."""
    try:
        with io.open("/proc/self/cmdline", "rb") as fh:  # noqa: UP020 - no builtins.open this early
            parts = fh.read(4096).split(b"\0")
        return [p.decode("utf-8", "replace")[:200] for p in parts if p][:6]
    except OSError:
        return [str(a)[:200] for a in getattr(sys, "argv", [])[:6]]


def _connect() -> None:
    """Open this process's own connection to the collector and say who it is."""
    global _sock, _sock_pid, _count, _pid
    _pid = os.getpid()
    _sock_pid, _count = _pid, 0
    try:
        _sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        _sock.connect(SOCKET_PATH)
    except OSError:
        _sock = None
        return
    _send({"ev": "hello", "pid": _pid, "ppid": os.getppid(), "argv": _cmdline(), "t": round(time.time(), 4)})


def _send(event: dict) -> None:
    global _sock
    if _sock is None:
        return
    try:
        _sock.sendall((json.dumps(event, default=str) + "\n").encode("utf-8"))
    except Exception:  # noqa: BLE001 - a closed collector must not break the pipeline
        _sock = None


def _emit(event: dict) -> None:
    global _count
    if _count >= MAX_EVENTS or not SOCKET_PATH:
        return
    if event.get("depth", 0) > MAX_DEPTH and not (event.get("role") == "model" and event.get("ev") == "fit"):
        return
    try:
        with _lock:
            if _sock_pid != os.getpid():
                _connect()
            event.setdefault("t", round(time.time(), 4))
            event.setdefault("pid", _pid)
            if _child or _pid != _root_pid:
                event["child"] = True
            _send(event)
            _count += 1
    except Exception:  # noqa: BLE001 - nothing here may break the pipeline
        pass


def _after_fork() -> None:
    """A forked child gets a fresh lock and its own connection (it must not write into its parent's)."""
    global _lock, _sock
    _lock = threading.Lock()
    _sock = None
    _connect()


# ------------------------------------------------------------------ describing data

def _shape(x) -> tuple[int | None, int | None]:
    shape = getattr(x, "shape", None)
    if shape is not None:
        try:
            rows = int(shape[0]) if len(shape) else None
            cols = int(shape[1]) if len(shape) > 1 else 1
            return rows, cols
        except Exception:  # noqa: BLE001
            return None, None
    try:
        return len(x), None
    except Exception:  # noqa: BLE001
        return None, None


def _sample(hashes) -> list[int]:
    import numpy as np

    hashes = np.asarray(hashes, dtype="uint64")
    kept = hashes[hashes % np.uint64(SAMPLE_MOD) == 0][:MAX_SAMPLE]
    return [int(h >> np.uint64(12)) for h in kept]


def _index_sample(x) -> list[int] | None:
    index = getattr(x, "index", None)
    if index is None or not hasattr(x, "iloc"):
        return None
    import pandas as pd

    return _sample(pd.util.hash_pandas_object(index).to_numpy())


def _content_sample(x) -> list[int] | None:
    try:
        import numpy as np
        import pandas as pd

        rows, cols = _shape(x)
        if rows is None or rows * (cols or 1) > MAX_CELLS_FOR_HASH:
            return None
        if hasattr(x, "iloc"):
            frame = x.to_frame() if getattr(x, "ndim", 2) == 1 else x
        else:
            if hasattr(x, "toarray"):  # scipy sparse
                return None
            arr = np.asarray(x)
            frame = pd.DataFrame(arr.reshape(len(arr), -1) if arr.ndim != 2 else arr)
        frame = frame.reset_index(drop=True)
        frame.columns = range(frame.shape[1])
        return _sample(pd.util.hash_pandas_object(frame, index=False).to_numpy())
    except Exception:  # noqa: BLE001
        return None


def _nan_count(x) -> int | None:
    try:
        import numpy as np
        import pandas as pd

        rows, cols = _shape(x)
        if rows is None or rows * (cols or 1) > MAX_CELLS_FOR_HASH or hasattr(x, "toarray"):
            return None
        if hasattr(x, "isna"):
            return int(np.asarray(x.isna()).sum())
        arr = np.asarray(x)
        if arr.dtype.kind == "f":
            return int(np.isnan(arr).sum())
        if arr.dtype.kind == "O":
            return int(pd.isna(arr).sum())
        return 0
    except Exception:  # noqa: BLE001
        return None


def _features(x) -> list[str] | None:
    columns = getattr(x, "columns", None)
    if columns is None:
        return None
    return [str(c) for c in list(columns)[:200]]


def _role(est) -> str:
    name = type(est).__name__
    if name.endswith("SearchCV"):
        return "search"
    if name == "Pipeline" or name == "ImbPipeline":
        return "pipeline"
    kind = None
    try:
        kind = est.__sklearn_tags__().estimator_type
    except Exception:  # noqa: BLE001
        kind = getattr(est, "_estimator_type", None)
    if kind in ("classifier", "regressor"):
        return "model"
    if hasattr(est, "transform") or hasattr(est, "fit_resample"):
        return "transformer"
    return "other"


def _params(est) -> dict:
    try:
        params = est.get_params(deep=False)
    except Exception:  # noqa: BLE001
        return {}
    out = {}
    if "random_state" in params:
        value = params["random_state"]
        out["random_state"] = value if isinstance(value, (int, type(None))) else type(value).__name__
    for key in ("n_estimators", "max_depth", "C", "n_iter", "cv", "scoring", "class_weight"):
        if key in params and isinstance(params[key], (int, float, str, type(None))):
            out[key] = params[key]
    return out


def _describe(est, method: str, args, kwargs, depth: int) -> dict:
    x = args[0] if args else kwargs.get("X", kwargs.get("x"))
    rows, cols = _shape(x)
    role = _role(est)
    event = {"ev": method, "est": type(est).__name__, "mod": type(est).__module__.split(".")[0],
             "obj": id(est), "role": role, "depth": depth, "rows": rows, "cols": cols}
    top = depth == 0
    if top or method.startswith("fit"):
        event["features"] = _features(x)
    if top:
        event["index"] = _index_sample(x)
        event["content"] = _content_sample(x)
    if method.startswith("fit") and (top or role == "model"):
        event["nan"] = _nan_count(x)
        event["params"] = _params(est)
    if method == "fit" and role == "model" and len(args) > 1:
        event["y_rows"] = _shape(args[1])[0]
    return event


def _after(event: dict, est, method: str, result) -> None:
    if event["depth"] != 0:
        return
    if method in ("fit_transform", "transform") and event["role"] == "transformer":
        event["out_content"] = _content_sample(result)
    if method == "fit" and event["role"] in ("pipeline", "search"):
        fitted = getattr(est, "best_estimator_", est)
        if event["role"] == "search":
            event["best_params"] = str(getattr(est, "best_params_", ""))[:500]
            event["best_est"] = type(fitted).__name__
            try:
                event["candidates"] = len(est.cv_results_["params"])
            except Exception:  # noqa: BLE001
                pass
        try:
            steps = getattr(fitted, "steps", None)
            if steps:
                event["steps"] = [type(step).__name__ for _name, step in steps]
                event["final_est"] = type(steps[-1][1]).__name__
                event["final_features"] = [str(f) for f in list(fitted[:-1].get_feature_names_out())[:300]]
        except Exception:  # noqa: BLE001
            pass


WRAPPER_MODULES = ("sklearn.utils._set_output", "sklearn.utils._available_if", "functools")
LIBRARY_PREFIXES = ("sklearn.", "xgboost.", "lightgbm.", "imblearn.", "scipy.", "pandas.", "numpy.")


def _called_by_library() -> bool:
    """True when a library (a metric, say) called the estimator, not the candidate's code."""
    frame = sys._getframe(2)
    for _ in range(8):
        if frame is None:
            return False
        module = frame.f_globals.get("__name__", "")
        if module not in WRAPPER_MODULES:
            return module.startswith(LIBRARY_PREFIXES)
        frame = frame.f_back
    return False


def _wrap_method(fn, method: str):
    if getattr(fn, "__aie_traced__", False):
        return fn

    @functools.wraps(fn)
    def traced(self, *args, **kwargs):
        state = _state
        if state.busy or (state.depth == 0 and _called_by_library()):
            return fn(self, *args, **kwargs)
        depth = state.depth
        event = None
        state.busy = True
        try:
            event = _describe(self, method, args, kwargs, depth)
        except Exception as exc:  # noqa: BLE001
            event = {"ev": method, "est": type(self).__name__, "depth": depth, "describe_error": repr(exc)[:200]}
        finally:
            state.busy = False
        state.depth = depth + 1
        try:
            result = fn(self, *args, **kwargs)
        except BaseException as exc:
            state.depth = depth
            event["error"] = type(exc).__name__
            _emit(event)
            raise
        state.depth = depth
        state.busy = True
        try:
            _after(event, self, method, result)
        except Exception:  # noqa: BLE001
            pass
        finally:
            state.busy = False
        _emit(event)
        return result

    traced.__aie_traced__ = True
    return traced


def _instrument_class(cls) -> None:
    for method in METHODS:
        member = cls.__dict__.get(method)
        if member is None:  # inherited from a mixin (TransformerMixin.fit_transform): wrap it here too
            member = inspect.getattr_static(cls, method, None)
            if not inspect.isfunction(member):
                continue
        try:
            if inspect.isfunction(member):
                setattr(cls, method, _wrap_method(member, method))
            elif hasattr(member, "fn") and inspect.isfunction(member.fn):  # sklearn's available_if
                member.fn = _wrap_method(member.fn, method)
        except Exception:  # noqa: BLE001
            pass


def _hook_base(module) -> None:
    base = module.BaseEstimator
    previous = inspect.getattr_static(base, "__init_subclass__", None)

    def __init_subclass__(cls, **kwargs):
        func = getattr(previous, "__func__", None)
        if func is not None:
            func(cls, **kwargs)
        else:
            super(base, cls).__init_subclass__(**kwargs)
        _instrument_class(cls)

    base.__init_subclass__ = classmethod(__init_subclass__)


def _wrap_function(module, name: str, kind: str) -> None:
    fn = getattr(module, name, None)
    if fn is None or getattr(fn, "__aie_traced__", False):
        return

    @functools.wraps(fn)
    def traced(*args, **kwargs):
        state = _state
        if state.busy:
            return fn(*args, **kwargs)
        depth = state.depth
        state.depth = depth + 1
        try:
            result = fn(*args, **kwargs)
        finally:
            state.depth = depth
        state.busy = True
        try:
            _emit(_describe_function(kind, name, args, kwargs, result, depth))
        except Exception:  # noqa: BLE001
            pass
        finally:
            state.busy = False
        return result

    traced.__aie_traced__ = True
    setattr(module, name, traced)


def _describe_function(kind: str, name: str, args, kwargs, result, depth: int) -> dict:
    event: dict = {"ev": kind, "fn": name, "depth": depth}
    if kind == "split":
        first = args[0] if args else None
        event["rows"] = _shape(first)[0]
        event["test_size"] = kwargs.get("test_size")
        event["random_state"] = kwargs.get("random_state") if isinstance(kwargs.get("random_state"),
                                                                        (int, type(None))) else "object"
        event["stratified"] = kwargs.get("stratify") is not None
        event["shuffle"] = kwargs.get("shuffle", True)
        event["n_arrays"] = len(args)
        if depth == 0 and isinstance(result, (list, tuple)) and len(result) >= 2:
            train, test = result[0], result[1]
            event["train_rows"], event["test_rows"] = _shape(train)[0], _shape(test)[0]
            event["train_index"], event["test_index"] = _index_sample(train), _index_sample(test)
            event["train_content"], event["test_content"] = _content_sample(train), _content_sample(test)
            event["index"] = _index_sample(first)
            event["content"] = _content_sample(first)
    else:  # cross-validation helpers: estimator, X, y
        est = args[0] if args else kwargs.get("estimator")
        x = args[1] if len(args) > 1 else kwargs.get("X")
        event["est"] = type(est).__name__
        event["rows"] = _shape(x)[0]
        event["cv"] = str(kwargs.get("cv"))[:40]
        if depth == 0:
            event["index"] = _index_sample(x)
            event["content"] = _content_sample(x)
    return event


# ------------------------------------------------------------------ SQLite

def _db_path(database) -> str:
    text = os.fsdecode(database) if isinstance(database, (str, bytes, os.PathLike)) else str(database)
    if text.startswith("file:"):
        text = text[5:].split("?", 1)[0]
    if text in (":memory:", ""):
        return text
    return os.path.realpath(text)


def _provided(path: str) -> bool:
    """Is this one of the round's data files (not a file the candidate wrote into the writable data/)?"""
    if DATA_FILES:
        return path in DATA_FILES
    return path.startswith(DATA_DIR + os.sep)


def _record_rows(path: str, count: int) -> None:
    if count <= 0:
        return
    _db_rows[path] = _db_rows.get(path, 0) + count
    if path not in _db_reported:
        _db_reported.add(path)
        _emit({"ev": "db_read", "path": path, "provided": _provided(path)})


def _hook_sqlite() -> None:
    import sqlite3

    class TracedCursor(sqlite3.Cursor):
        _aie_path = ""

        def fetchall(self):
            rows = super().fetchall()
            _record_rows(self._aie_path, len(rows))
            return rows

        def fetchmany(self, *args, **kwargs):
            rows = super().fetchmany(*args, **kwargs)
            _record_rows(self._aie_path, len(rows))
            return rows

        def fetchone(self):
            row = super().fetchone()
            _record_rows(self._aie_path, 0 if row is None else 1)
            return row

        def __next__(self):
            row = super().__next__()
            _record_rows(self._aie_path, 1)
            return row

    class TracedConnection(sqlite3.Connection):
        _aie_path = ""

        def cursor(self, factory=TracedCursor):
            cur = super().cursor(factory)
            try:
                cur._aie_path = self._aie_path
            except Exception:  # noqa: BLE001 - a candidate's own cursor class
                pass
            return cur

        # Connection.execute makes its cursor in C, past cursor(): route the shortcuts through it
        def execute(self, sql, parameters=(), /):
            return self.cursor().execute(sql, parameters)

        def executemany(self, sql, parameters, /):
            return self.cursor().executemany(sql, parameters)

    original = sqlite3.connect

    @functools.wraps(original)
    def connect(database, *args, **kwargs):
        path = ""
        try:
            path = _db_path(database)
        except Exception:  # noqa: BLE001
            pass
        custom = "factory" in kwargs or len(args) >= 5
        if not custom:
            kwargs["factory"] = TracedConnection
        try:
            conn = original(database, *args, **kwargs)
        except BaseException as exc:
            _emit({"ev": "db_open", "path": path, "ok": False, "error": f"{type(exc).__name__}: {exc}"[:200],
                   "provided": _provided(path)})
            raise
        if not custom:
            conn._aie_path = path
        _emit({"ev": "db_open", "path": path, "ok": True, "exists": bool(path) and os.path.exists(path),
               "provided": _provided(path)})
        return conn

    sqlite3.connect = connect
    try:
        import sqlite3.dbapi2 as dbapi2

        dbapi2.connect = connect
    except Exception:  # noqa: BLE001
        pass


# ------------------------------------------------------------------ import hooks

_PATCHES = {
    "sklearn.base": lambda m: _hook_base(m),
    "sklearn.model_selection._split": lambda m: _wrap_function(m, "train_test_split", "split"),
    "sklearn.model_selection._validation": lambda m: [
        _wrap_function(m, name, "cv") for name in ("cross_val_score", "cross_validate", "cross_val_predict")],
}


class _Finder(importlib.abc.MetaPathFinder):
    """Patches a few scikit-learn modules right after they execute, before anything imports from them."""

    def find_spec(self, name, path, target=None):
        if name not in _PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        original_exec = getattr(loader, "exec_module", None)
        if original_exec is None:
            return spec

        def exec_module(module):
            original_exec(module)
            try:
                _PATCHES[name](module)
                _emit({"ev": "patched", "module": name})
            except Exception as exc:  # noqa: BLE001
                _emit({"ev": "tracer_error", "module": name, "error": repr(exc)[:200]})

        try:
            loader.exec_module = exec_module
        except Exception:  # noqa: BLE001
            return None
        return spec


def _excepthook(previous):
    def hook(kind, value, tb):
        _emit({"ev": "uncaught", "type": getattr(kind, "__name__", str(kind)), "message": str(value)[:300]})
        previous(kind, value, tb)

    return hook


def _at_exit() -> None:
    for path, rows in _db_rows.items():
        _emit({"ev": "db_rows", "path": path, "rows": rows, "provided": _provided(path)})
    _emit({"ev": "exit"})


def install(socket_path: str, data_dir: str = "/work/data", data_files: tuple[str, ...] = ()) -> None:
    """Start tracing this process (called once by hook.py): events go to the collector at socket_path."""
    global _child, SOCKET_PATH, DATA_DIR, DATA_FILES
    if not socket_path or getattr(sys, "_aie_tracer", False):
        return
    sys._aie_tracer = True
    SOCKET_PATH, DATA_DIR = socket_path, os.path.realpath(data_dir)
    DATA_FILES = frozenset(os.path.join(DATA_DIR, str(name)) for name in data_files if "/" not in str(name))
    root = os.environ.get(ROOT_ENV)
    _child = bool(root) and root != str(_pid)
    if not root:
        os.environ[ROOT_ENV] = str(_pid)
    os.register_at_fork(after_in_child=_after_fork)
    _emit({"ev": "start", "argv": _cmdline(), "ppid": os.getppid(), "cwd": os.getcwd()})
    if any(name in sys.modules for name in _PATCHES):
        _emit({"ev": "tracer_error", "error": "scikit-learn was imported before the tracer"})
    sys.meta_path.insert(0, _Finder())
    try:
        _hook_sqlite()
    except Exception as exc:  # noqa: BLE001
        _emit({"ev": "tracer_error", "module": "sqlite3", "error": repr(exc)[:200]})
    sys.excepthook = _excepthook(sys.excepthook)
    atexit.register(_at_exit)
