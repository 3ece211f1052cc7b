"""The hostile suite on every backend: prints the attack x backend table and the wall time.

    .venv/bin/python -m bench.hostile_suite [--backend docker|local|all]

Docker is the security boundary and must contain every attack; the local runner is not one and
the table shows what it does and does not stop. Run as root for the local runner's throw-away uid.
"""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table

from grader.packs import resolve_pack
from sandbox.docker_backend import DockerSandbox
from sandbox.local_backend import LocalSandbox
from tests.hostile_harness import HOSTILE, host_bait, run_hostile


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("docker", "local", "all"), default="all")
    args = parser.parse_args()
    console = Console(width=200)
    pack = resolve_pack(None)
    backends = []
    if args.backend in ("docker", "all"):
        docker = DockerSandbox()
        problem = docker.available()
        if problem:
            console.print(f"[red]docker unavailable:[/] {problem}")
        else:
            docker.image()
            backends.append(docker)
    if args.backend in ("local", "all"):
        backends.append(LocalSandbox())
    outcomes = {}
    walls = {}
    with host_bait(pack) as host:
        for sandbox in backends:
            started = time.monotonic()
            for name in HOSTILE:
                outcome, _ = run_hostile(name, sandbox, pack, host)
                outcomes[(outcome.attack, sandbox.name)] = outcome
                verdict = "contained" if outcome.contained else "NOT CONTAINED"
                console.print(f"{sandbox.name:6} {outcome.attack:22} {verdict:14} {outcome.observed}", highlight=False)
            walls[sandbox.name] = time.monotonic() - started
    table = Table(title="hostile suite: attack x backend")
    table.add_column("attack")
    for sandbox in backends:
        table.add_column(sandbox.name)
    for attack in sorted({a for a, _ in outcomes}):
        row = [attack]
        for sandbox in backends:
            o = outcomes[(attack, sandbox.name)]
            row.append(("contained: " if o.contained else "NOT CONTAINED: ") + o.observed)
        table.add_row(*row)
    console.print(table)
    for name, wall in walls.items():
        console.print(f"wall time, whole hostile suite on {name}: {wall:.0f} s ({len(HOSTILE)} samples)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
