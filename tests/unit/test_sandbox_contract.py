"""The backend registry and the contract the backends share (environment, status, log caps, output copy): no Docker."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from sandbox import registry
from sandbox.base import (
    NOT_A_BOUNDARY,
    OFFLINE_PIP,
    STATUS_COMPLETED,
    STATUS_ERROR,
    STATUS_FAILED,
    STATUS_OOM,
    STATUS_TIMEOUT,
    Limits,
    RunSpec,
)
from sandbox.contract import Inside, Recorder, prepare, status_of
from sandbox.registry import AUTO, CHOICES, NONE, open_sandbox


class FakeSandbox:
    """A backend whose availability and preparation the test decides."""

    security_boundary = True

    def __init__(self, name: str, problem: str | None = None, prepare_problem: str | None = None) -> None:
        self.name, self.problem, self.prepare_problem = name, problem, prepare_problem
        self.prepared = self.cleaned = False

    def available(self) -> str | None:
        return self.problem

    def prepare(self, log) -> str | None:
        self.prepared = True
        log(f"preparing {self.name}")
        return self.prepare_problem

    def remove_leftovers(self) -> int:
        self.cleaned = True
        return 0


def _swap(monkeypatch, name: str, sandbox=None, error: Exception | None = None) -> None:
    def factory():
        if error is not None:
            raise error
        return sandbox

    monkeypatch.setitem(registry.BACKENDS, name, replace(registry.BACKENDS[name], factory=factory))


# ---------------------------------------------------------------- the registry


def test_choices_are_the_modes_around_the_registered_backends():
    assert CHOICES == ("auto", "docker", "local", "none")
    assert list(registry.BACKENDS) == ["docker", "local"] and set(registry.AUTO_ORDER) <= set(registry.BACKENDS)
    assert registry.STATIC_BACKEND in registry.BACKENDS


def test_the_command_lines_read_the_registry():
    from grader.cli import build_parser
    from grader.options import BACKEND_HELP, BACKENDS

    assert BACKENDS == CHOICES
    assert BACKEND_HELP == ("where pipelines run: auto = Docker when an engine answers, else the local runner; docker; "
                            "local = a local subprocess with limits (NOT a security boundary); none = static analysis "
                            "only, recorded as not run")
    parser = build_parser()
    for argv, default in ((["check", "x"], "auto"), (["batch", "x", "--out", "o"], "docker"),
                          (["calibrate", "x"], "docker")):
        assert parser.parse_args(argv).backend == default
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "x", "--backend", "podman"])


def test_the_registry_and_the_classes_agree_on_the_security_boundary():
    from sandbox.docker_backend import DockerSandbox
    from sandbox.local_backend import LocalSandbox

    for cls in (DockerSandbox, LocalSandbox):
        entry = registry.BACKENDS[cls.name]
        assert entry.security_boundary is cls.security_boundary
        for method in ("available", "prepare", "remove_leftovers", "run"):
            assert callable(getattr(cls, method))
    assert registry.BACKENDS["local"].warning == NOT_A_BOUNDARY and registry.BACKENDS["docker"].warning is None


def test_auto_takes_docker_when_it_answers(monkeypatch):
    docker, local = FakeSandbox("docker"), FakeSandbox("local")
    _swap(monkeypatch, "docker", docker)
    _swap(monkeypatch, "local", local)
    said: list[str] = []
    opened = open_sandbox(AUTO, log=said.append)
    assert opened.sandbox is docker and opened.problem is None and opened.warning is None
    assert docker.prepared and docker.cleaned and not local.prepared and said == ["preparing docker"]


def test_auto_falls_back_to_the_local_runner_and_says_it_is_no_boundary(monkeypatch):
    from sandbox.docker_backend import DockerSandbox
    from sandbox.local_backend import LocalSandbox

    monkeypatch.setattr(DockerSandbox, "available", lambda self: "no Docker engine answers: refused")
    monkeypatch.setattr(LocalSandbox, "prepare", lambda self, log: None)
    opened = open_sandbox(AUTO, log=lambda _m: None)
    assert isinstance(opened.sandbox, LocalSandbox) and opened.problem is None
    assert opened.warning == f"no Docker engine answers: refused; using the local runner instead. {NOT_A_BOUNDARY}"


def test_auto_without_docker_and_without_a_local_environment_is_the_local_problem(monkeypatch):
    _swap(monkeypatch, "docker", FakeSandbox("docker", problem="no engine"))
    _swap(monkeypatch, "local", FakeSandbox("local", prepare_problem="the local environment could not be built"))
    opened = open_sandbox(AUTO, log=lambda _m: None)
    assert opened.sandbox is None and opened.problem == "the local environment could not be built"


def test_docker_by_name_when_unavailable_says_what_to_do(monkeypatch):
    _swap(monkeypatch, "docker", FakeSandbox("docker", problem="no Docker engine answers: refused"))
    opened = open_sandbox("docker", log=lambda _m: None)
    assert opened.sandbox is None and opened.problem.startswith("no Docker engine answers: refused. Start the Docker")
    assert "--backend local (not a security boundary) or --backend none" in opened.problem


def test_a_failed_image_build_is_a_problem_not_a_fallback(monkeypatch):
    from sandbox.docker_backend import DockerSandbox

    def broken(self, log=print):
        raise RuntimeError("no space left")

    monkeypatch.setattr(DockerSandbox, "available", lambda self: None)
    monkeypatch.setattr(DockerSandbox, "image", broken)
    opened = open_sandbox(AUTO, log=lambda _m: None)
    assert opened.sandbox is None and opened.problem == "the runner image could not be built: no space left"


def test_local_by_name_warns_and_without_posix_modules_is_a_clear_problem(monkeypatch):
    local = FakeSandbox("local")
    _swap(monkeypatch, "local", local)
    opened = open_sandbox("local", log=lambda _m: None)
    assert opened.sandbox is local and opened.warning == NOT_A_BOUNDARY and local.cleaned
    _swap(monkeypatch, "local", error=ImportError("No module named 'resource'"))
    opened = open_sandbox("local", log=lambda _m: None)
    assert opened.sandbox is None
    assert opened.problem == ("the local runner needs Linux or macOS (No module named 'resource'); start Docker "
                              "Desktop and use --backend docker")


def test_none_runs_nothing_and_warns_only_when_the_static_runner_cannot_be_built(monkeypatch):
    local = FakeSandbox("local")
    _swap(monkeypatch, "local", local)
    assert open_sandbox(NONE, log=lambda _m: None) == registry.Opened(None)
    assert local.prepared
    _swap(monkeypatch, "local", FakeSandbox("local", prepare_problem="cannot build"))
    assert open_sandbox(NONE, log=lambda _m: None) == registry.Opened(None, warning="cannot build: the static checks "
                                                                                     "cannot run")


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown sandbox backend 'podman'"):
        open_sandbox("podman", log=lambda _m: None)


# ---------------------------------------------------------------- the contract with the in-sandbox tools


def _spec(tmp_path: Path, **changes) -> RunSpec:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "deliveries.db").write_bytes(b"x")
    (data / "sub").mkdir(exist_ok=True)
    return replace(RunSpec(tmp_path / "sub", data, command=("python", "{tools}/aie_static.py", "x")), **changes)


def test_the_environment_the_docker_image_reads(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    spec = _spec(tmp_path, env_layer=tmp_path / "layer", limits=Limits(cpus=2.5),
                 env=(("AIE_PROBE", "{tools}/probe.json"), ("HOME", "/elsewhere")))
    inside = Inside(tools="/opt/aie-tools", data_dir="/work/data", run_dir="/opt/aie-run", env_layer="/opt/aie-env")
    prepared = prepare(spec, run_dir, inside, {"HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib"})
    assert prepared.environment == {"HOME": "/elsewhere", "MPLCONFIGDIR": "/tmp/matplotlib", "OMP_NUM_THREADS": "2",
                                    "PYTHONHASHSEED": "0", "AIE_DATA_DIR": "/work/data", **OFFLINE_PIP,
                                    "AIE_ENV_LAYER": "/opt/aie-env", "AIE_PROBE": "/opt/aie-tools/probe.json"}
    assert prepared.command == ["python", "/opt/aie-tools/aie_static.py", "x"] and prepared.session is None
    config = json.loads((run_dir / "run.json").read_text())
    assert config == {"data_dir": "/work/data", "data_files": ["deliveries.db"], "env_layer": "/opt/aie-env"}
    assert (run_dir / "run.json").stat().st_mode & 0o777 == 0o644


def test_the_environment_the_local_sitecustomize_reads_and_the_trace_socket(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    inside = Inside(tools="/srv/tools", data_dir=str(tmp_path / "work" / "data"), run_dir=str(run_dir),
                    sitecustomize=True)
    recorder = Recorder("local", _spec(tmp_path, trace=True))
    prepared = recorder.prepare(run_dir, inside, {"PATH": "/usr/bin"})
    env = prepared.environment
    assert env["PYTHONPATH"] == "/srv/tools/site" and env["AIE_RUN_CONFIG"] == str(run_dir / "run.json")
    assert "AIE_ENV_LAYER" not in env and env["OMP_NUM_THREADS"] == "1"
    config = json.loads((run_dir / "run.json").read_text())
    assert config["trace_socket"] == str(run_dir / "trace.sock") and "env_layer" not in config
    assert recorder.session is prepared.session and (run_dir / "trace.sock").exists()
    result = recorder.abort("cannot start python: no such file")
    assert result.trace == [] and result.status == STATUS_ERROR and result.output_dir is None


# ---------------------------------------------------------------- the result


@pytest.mark.parametrize(("exit_code", "timed_out", "oom", "status"), [
    (0, False, False, STATUS_COMPLETED),
    (1, False, False, STATUS_FAILED),
    (None, False, False, STATUS_FAILED),
    (137, False, True, STATUS_OOM),
    (137, True, True, STATUS_TIMEOUT),
    (0, True, False, STATUS_TIMEOUT),
])
def test_status_mapping(exit_code, timed_out, oom, status):
    assert status_of(exit_code, timed_out, oom) == status


def test_logs_are_capped_head_and_tail_and_counted(tmp_path):
    recorder = Recorder("local", _spec(tmp_path, limits=Limits(log_bytes=400)), security_boundary=False,
                        notes=["first note"])
    recorder.stdout.feed(b"HEAD" + b"a" * 2000 + b"TAIL")
    recorder.stderr.feed(b"short\n")
    result = recorder.take_logs()
    assert result.stdout.startswith("HEAD") and result.stdout.endswith("TAIL")
    assert "bytes dropped by the grader's output cap" in result.stdout and len(result.stdout) < 600
    assert result.stdout_bytes == 2008 and result.stderr == "short\n" and result.stderr_bytes == 6
    assert result.output_truncated and not result.security_boundary and result.notes == ["first note"]
    recorder.stdout.feed(b"later")
    assert recorder.take_logs().stdout_bytes == 2008  # taken once


def test_finish_copies_the_outputs_within_the_cap_and_notes_the_refusals(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "predictions.csv").write_text("id,y\n1,0\n")
    (output / "big.bin").write_bytes(b"z" * (2 * 1024 * 1024))
    (output / "a_model.pkl").write_bytes(b"m" * (700 * 1024))  # sorts before predictions.csv, but is larger
    (output / "link.csv").symlink_to(output / "predictions.csv")
    recorder = Recorder("docker", _spec(tmp_path, limits=Limits(output_copy_mb=1)))
    result = recorder.finish(output, tmp_path / "art")
    assert result.output_dir == tmp_path / "art" / "output"
    # smallest first: the predictions are copied before a model that would have used up the cap
    assert result.output_files == ["predictions.csv", "a_model.pkl"]
    assert (result.output_dir / "predictions.csv").read_text() == "id,y\n1,0\n"
    assert len(result.output_findings) == 2 and all(f in result.notes for f in result.output_findings)
    assert result.trace is None and result.duration_s >= 0 and not result.output_truncated
