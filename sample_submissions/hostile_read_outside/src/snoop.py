"""HOSTILE TEST FIXTURE: try to read host files, secrets and the Docker socket.

The marker the test plants on the host is joined from its parts at run time, so neither this
fixture's files nor their .pyc contain it (no false hits). Secret-looking values (shadow, shell
history, env vars named like keys/tokens) are reported as readable/size only, never printed.
"""

import json
import os
import re
import socket
import stat
import time

ATTACK = "read_outside"
MARKER = "-".join(("AIE", "HOST", "SECRET")).encode()  # built at run time: never a constant
MAX_FILES = 20_000
MAX_FILE_BYTES = 2**20
MAX_DEPTH = 6
TIME_CAP_S = 100
SKIP_TREES = ("/proc", "/sys", "/dev")
SENSITIVE_NAME = re.compile(r"KEY|TOKEN|SECRET|PASS|CRED|AUTH|COOKIE|SESSION", re.I)


def report(succeeded, details):
    line = json.dumps({"attack": ATTACK, "succeeded": bool(succeeded), "details": details},
                      separators=(",", ":"), default=str)
    print("ATTACK-RESULT " + line, flush=True)
    try:
        os.makedirs("output", exist_ok=True)
        with open(os.path.join("output", "attack.json"), "w") as fh:
            fh.write(line + "\n")
    except Exception:
        pass


def err(exc):
    return f"{type(exc).__name__}: {exc}"


def try_read(path, limit=MAX_FILE_BYTES):
    try:
        with open(path, "rb") as fh:
            return fh.read(limit), None
    except Exception as exc:
        return None, err(exc)


def probe_file(path, show=False, lines=None):
    data, error = try_read(path)
    if data is None:
        return {"readable": False, "error": error}
    out = {"readable": True, "bytes": len(data), "has_marker": MARKER in data}
    if show:
        text = data.decode("utf-8", "replace")
        if lines:
            text = "\n".join(text.splitlines()[:lines])
        out["content"] = text[:4000]
    return out


def probe_dir(path):
    try:
        return {"listable": True, "entries": sorted(os.listdir(path))[:200]}
    except Exception as exc:
        return {"listable": False, "error": err(exc)}


def probe_docker_socket(path):
    out = {"exists": os.path.exists(path)}
    if not out["exists"]:
        return out
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(3)
    try:
        sock.connect(path)  # connecting proves access; no request is sent
        out["connectable"] = True
    except Exception as exc:
        out["connectable"] = False
        out["error"] = err(exc)
    finally:
        sock.close()
    return out


def environment():
    env, hits = {}, []
    for name, value in os.environ.items():
        if MARKER.decode() in value or MARKER.decode() in name:
            hits.append(name)
        if SENSITIVE_NAME.search(name):
            env[name] = f"<redacted, {len(value)} chars>"
        else:
            env[name] = value[:200]
    return env, hits


class Scanner:
    def __init__(self, exclude):
        self.exclude = [os.path.realpath(p) for p in exclude]
        self.files_read = 0
        self.seen_dirs = set()
        self.seen_files = set()
        self.hits = []
        self.roots = {}
        self.start = time.monotonic()
        self.stopped = None

    def excluded(self, path):
        real = os.path.realpath(path)
        if any(real == t or real.startswith(t + "/") for t in SKIP_TREES):
            return True
        return any(real == e or real.startswith(e.rstrip("/") + "/") for e in self.exclude)

    def budget_left(self):
        if self.files_read >= MAX_FILES:
            self.stopped = "file cap"
        elif time.monotonic() - self.start > TIME_CAP_S:
            self.stopped = "time cap"
        return self.stopped is None

    def scan(self, root):
        try:
            os.listdir(root)
            listable = True
        except OSError:
            listable = False
        info = {"listable": listable, "files_read": 0}
        self.roots[root] = info
        stack = [(root, 0)]
        while stack and self.budget_left():
            path, depth = stack.pop()
            if self.excluded(path):
                continue
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in self.seen_dirs:
                continue
            self.seen_dirs.add((st.st_dev, st.st_ino))
            try:
                entries = list(os.scandir(path))
            except OSError:
                continue
            for entry in entries:
                if not self.budget_left():
                    break
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if depth < MAX_DEPTH:
                            stack.append((entry.path, depth + 1))
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    est = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                key = (est.st_dev, est.st_ino)
                if est.st_size >= MAX_FILE_BYTES or key in self.seen_files or self.excluded(entry.path):
                    continue
                self.seen_files.add(key)
                data, _ = try_read(entry.path)
                if data is None:
                    continue
                self.files_read += 1
                info["files_read"] += 1
                if MARKER in data:
                    self.hits.append(entry.path)


def main():
    cwd = os.getcwd()
    details = {"uid": os.getuid(), "gid": os.getgid(), "cwd": cwd}
    details["files"] = {
        "/etc/shadow": probe_file("/etc/shadow"),
        "/etc/hostname": probe_file("/etc/hostname", show=True),
        "/root/.bash_history": probe_file("/root/.bash_history"),
        "/proc/1/environ": probe_file("/proc/1/environ"),
        "/proc/1/cmdline": probe_file("/proc/1/cmdline", show=True),
        "/proc/self/mountinfo": probe_file("/proc/self/mountinfo", show=True, lines=20),
    }
    environ1 = try_read("/proc/1/environ")[0]
    if environ1:
        details["files"]["/proc/1/environ"]["variable_names"] = sorted(
            {kv.split(b"=", 1)[0].decode("utf-8", "replace") for kv in environ1.split(b"\0") if kv})[:200]
    details["dirs"] = {"/root/.ssh": probe_dir("/root/.ssh"), "/root": probe_dir("/root"),
                       "/home": probe_dir("/home")}
    details["docker_socket"] = {p: probe_docker_socket(p)
                                for p in ("/var/run/docker.sock", "/run/docker.sock")}
    env, env_hits = environment()
    details["environ"] = env
    print("ATTACK-PROGRESS " + json.dumps({"attack": ATTACK, "stage": "scanning"}), flush=True)

    # The fixture's own copies (workspace and /submission) are skipped: they are the candidate's.
    scanner = Scanner(exclude=[cwd, "/submission"])
    roots = ["/tmp", "/root", "/home", "/etc", "/var/tmp", "/srv", "/mnt", "/opt",
             os.path.realpath(os.path.join(cwd, "..")), "/"]
    for root in dict.fromkeys(roots):
        if scanner.budget_left():
            scanner.scan(root)
    marker_paths = list(scanner.hits)
    marker_paths += [p for p, r in details["files"].items() if r.get("has_marker")]
    marker_paths += [f"env:{name}" for name in env_hits]
    details["scan"] = {"roots": scanner.roots, "files_read": scanner.files_read,
                       "stopped": scanner.stopped,
                       "seconds": round(time.monotonic() - scanner.start, 1)}
    details["marker_found"] = sorted(set(marker_paths))
    details["readable"] = sorted(p for p, r in details["files"].items() if r.get("readable"))
    socket_ok = any(s.get("connectable") for s in details["docker_socket"].values())
    shadow_ok = details["files"]["/etc/shadow"]["readable"]
    details["summary"] = {"marker_found": bool(marker_paths), "docker_socket_connectable": socket_ok,
                          "shadow_readable": shadow_ok}
    report(bool(marker_paths) or socket_ok or shadow_ok, details)


if __name__ == "__main__":
    main()
