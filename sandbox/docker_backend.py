"""The Docker sandbox (SPEC §6): the real containment for untrusted pipelines.

Every run: no network, a non-root user, a read-only root filesystem, size-capped tmpfs for /tmp
and for the workspace the submission and a writable copy of the round's data are copied into
(the pack's files themselves are mounted read-only), a size-capped
output mount, memory / CPU / pids limits, all capabilities dropped, no-new-privileges, a
wall-clock timeout with kill, logs captured up to a cap, and the container always removed.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sandbox.base import STATUS_ERROR, TOOLS_DIR, RunResult, RunSpec, SandboxUnavailable, StreamCapture
from sandbox.contract import Inside, Prepared, Recorder, status_of
from sandbox.files import capped_directory, run_directory
from sandbox.image import ensure_runner_image

RUN_LABEL = "aie-grader.run"
DEADLINE_LABEL = "aie-grader.deadline"  # epoch seconds after which the run is surely abandoned
RUNNER_UID = 1000
TOOLS_MOUNT = "/opt/aie-tools"
RUN_MOUNT = "/opt/aie-run"  # the run's settings for the in-sandbox hook and the trace socket, read-only
ENV_LAYER_MOUNT = "/opt/aie-env"
DATA_MOUNT = "/opt/aie-data"  # the round's data, read-only; the run works on a writable copy in /work/data


class DockerSandbox:
    """Runs commands in throw-away containers of the runner image."""

    name = "docker"
    security_boundary = True

    def __init__(self, image: str | None = None) -> None:
        self._image = image
        self._client = None

    def _docker(self):
        if self._client is None:
            import docker

            try:
                self._client = docker.from_env(timeout=120)
                self._client.ping()
            except Exception as exc:  # any failure to reach the engine means "unavailable"
                self._client = None
                raise SandboxUnavailable(f"no Docker engine answers: {exc}") from exc
        return self._client

    def available(self) -> str | None:
        try:
            self._docker()
        except SandboxUnavailable as exc:
            return str(exc)
        return None

    def image(self, log: Callable[[str], None] = print) -> str:
        """The runner image's tag, built on first use (announced through `log`)."""
        if self._image is None:
            self._image = ensure_runner_image(self._docker(), log=log)
        return self._image

    def remove_leftovers(self) -> int:
        """Remove containers a killed grader left behind: those past their deadline, whatever their state.

        A run of another grader process within its time limit is left alone in every state: created and not yet
        started, running, or exited with its logs and output still being read (a parallel batch worker's run
        removed between create and start failed with "container is marked for removal").
        """
        removed = 0
        now = time.time()
        for container in self._docker().containers.list(all=True, filters={"label": RUN_LABEL}):
            deadline = float(container.labels.get(DEADLINE_LABEL, 0) or 0)
            if deadline > now:
                continue
            with contextlib.suppress(Exception):
                container.remove(force=True)
                removed += 1
        return removed

    def prepare(self, log: Callable[[str], None] = print) -> str | None:
        """Build the runner image on first use; the reason when it cannot be built."""
        try:
            self.image(log)
        except Exception as exc:  # noqa: BLE001 - a failed image build leaves nothing to run in
            return f"the runner image could not be built: {exc}"
        return None

    def run(self, spec: RunSpec, artifacts_dir: Path) -> RunResult:
        client = self._docker()
        image = self.image()
        limits = spec.limits
        recorder = Recorder(self.name, spec, security_boundary=self.security_boundary)
        result = recorder.result
        container = None
        with capped_directory(limits.output_mb) as (output_dir, cap_enforced), run_directory() as run_dir:
            if not cap_enforced:
                result.notes.append("output/ size cap not enforced (the grader may not mount a tmpfs here)")
            volumes = {
                str(spec.submission_dir.resolve()): {"bind": "/submission", "mode": "ro"},
                str(spec.data_dir.resolve()): {"bind": DATA_MOUNT, "mode": "ro"},  # copied to data/ by entry.sh
                str(output_dir): {"bind": "/work/output", "mode": "rw"},
                str(TOOLS_DIR): {"bind": TOOLS_MOUNT, "mode": "ro"},
                str(run_dir): {"bind": RUN_MOUNT, "mode": "ro"},
            }
            if spec.env_layer is not None:
                volumes[str(spec.env_layer.resolve())] = {"bind": ENV_LAYER_MOUNT, "mode": "ro"}
            inside = Inside(tools=TOOLS_MOUNT, data_dir="/work/data", run_dir=RUN_MOUNT,
                            env_layer=ENV_LAYER_MOUNT if spec.env_layer is not None else None)
            prepared = recorder.prepare(run_dir, inside, {"HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib"})
            try:
                container = self._create(client, image, spec, prepared, volumes)
                self._follow_to_the_end(container, recorder)
            except SandboxUnavailable:
                raise
            except Exception as exc:  # an engine error is evidence of a failed run, not a grader crash
                result.status = STATUS_ERROR
                result.error = f"{type(exc).__name__}: {exc}"
            finally:
                if container is not None:
                    with contextlib.suppress(Exception):
                        container.remove(force=True)
                recorder.finish(output_dir, artifacts_dir)
        return result

    @staticmethod
    def _create(client, image: str, spec: RunSpec, prepared: Prepared, volumes: dict):
        """The run's container, created (not started) with every limit of SPEC §6."""
        limits = spec.limits
        return client.containers.create(
            image,
            command=prepared.command,
            user=f"{RUNNER_UID}:{RUNNER_UID}",
            working_dir="/work",
            network_mode="none",
            read_only=True,
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mem_limit=f"{limits.memory_mb}m",
            memswap_limit=f"{limits.memory_mb}m",
            nano_cpus=int(limits.cpus * 1e9),
            pids_limit=limits.pids,
            tmpfs={
                "/tmp": f"rw,nosuid,nodev,size={limits.tmp_mb}m",
                "/work": f"rw,nosuid,nodev,exec,size={limits.workspace_mb}m,uid={RUNNER_UID},"
                         f"gid={RUNNER_UID},mode=0755",
            },
            volumes=volumes,
            environment=prepared.environment,
            labels={RUN_LABEL: uuid.uuid4().hex[:12], DEADLINE_LABEL: str(int(time.time() + limits.timeout_s + 120))},
            log_config={"type": "json-file", "config": {"max-size": "8m", "max-file": "1"}},
            detach=True,
        )

    @staticmethod
    def _follow_to_the_end(container, recorder: Recorder) -> None:
        """Start the container, follow its logs and memory, wait for it (or kill it) and read how it ended."""
        result = recorder.result
        followers = [
            threading.Thread(target=_follow, args=(container, True, recorder.stdout), daemon=True),
            threading.Thread(target=_follow, args=(container, False, recorder.stderr), daemon=True),
        ]
        peak = _PeakMemory(container)
        container.start()
        recorder.watch(lambda: _pids_of(container.id))
        for thread in followers:
            thread.start()
        peak.start()
        result.exit_code, result.timed_out = _wait(container, result.limits.timeout_s)
        for thread in followers:
            thread.join(timeout=10)
        for is_stdout, capture in ((True, recorder.stdout), (False, recorder.stderr)):
            with contextlib.suppress(Exception):
                capture.set_tail(container.logs(stdout=is_stdout, stderr=not is_stdout, tail=400))
        container.reload()
        state = container.attrs.get("State", {})
        result.oom_killed = bool(state.get("OOMKilled"))
        result.peak_memory_bytes = peak.stop()
        result.status = status_of(result.exit_code, result.timed_out, result.oom_killed)


def _pids_of(container_id: str) -> list[int]:
    """The host pids of the container's processes (its id is in their cgroup path, v1 or v2)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if container_id in (entry / "cgroup").read_text():
                    found.append(int(entry.name))
    return found


def _follow(container, is_stdout: bool, capture: StreamCapture) -> None:
    with contextlib.suppress(Exception):
        for chunk in container.logs(stdout=is_stdout, stderr=not is_stdout, stream=True, follow=True):
            capture.feed(chunk)


def _wait(container, timeout_s: float) -> tuple[int | None, bool]:
    """Wait for the container; kill it at the deadline. Returns (exit code, timed out)."""
    import requests

    try:
        outcome = container.wait(timeout=timeout_s)
        return int(outcome.get("StatusCode", -1)), False
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        with contextlib.suppress(Exception):
            container.kill()
        with contextlib.suppress(Exception):
            outcome = container.wait(timeout=30)
            return int(outcome.get("StatusCode", -1)), True
        return None, True


class _PeakMemory:
    """Samples the container's memory use from the engine's stats stream while it runs."""

    def __init__(self, container) -> None:
        self._container = container
        self._peak = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _sample(self) -> None:
        with contextlib.suppress(Exception):
            for stats in self._container.stats(stream=True, decode=True):
                memory = stats.get("memory_stats") or {}
                value = max(int(memory.get("max_usage") or 0), int(memory.get("usage") or 0))
                self._peak = max(self._peak, value)
                if not memory and self._peak:
                    break

    def stop(self) -> int | None:
        self._thread.join(timeout=2)
        return self._peak or None
