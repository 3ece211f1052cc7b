"""Where gradings run: a local process pool (`--jobs N`) or a Dask distributed cluster (`--scheduler`) (SPEC §10).

Both yield outcomes as they complete. A worker that dies takes only its own submissions with it: they come back as
grader errors (retried by the next run), and the rest of the cohort goes on.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from grader.batch.task import GRADER_ERROR, GradeTask, TaskOutcome, grade_task

MAX_ATTEMPTS = 2  # a submission whose grading process dies twice is recorded as a grader error


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _worker_init() -> None:
    """In each pool process: SIGTERM unwinds like Ctrl-C, so sandbox runs are removed by their `finally` blocks."""
    signal.signal(signal.SIGTERM, _terminate)


def _died(task: GradeTask, why: str) -> TaskOutcome:
    return TaskOutcome(task.candidate, task.key, GRADER_ERROR, error=why)


class LocalExecutor:
    """`--jobs N` processes on this machine; a dead process's pool is rebuilt and its submissions retried once."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.description = f"{self.jobs} local process{'es' if self.jobs > 1 else ''}"
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent (the progress bar)
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_worker_init)

    def run(self, tasks: list[GradeTask]) -> Iterator[TaskOutcome]:
        queue = list(reversed(tasks))
        attempts: dict[str, int] = {}
        running: dict[Future, GradeTask] = {}
        self._pool = self._new_pool()
        finished = False
        try:
            while queue or running:
                while queue and len(running) < self.jobs:
                    task = queue.pop()
                    attempts[task.key + task.candidate] = attempts.get(task.key + task.candidate, 0) + 1
                    running[self._pool.submit(grade_task, task)] = task
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    task = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        if attempts[task.key + task.candidate] >= MAX_ATTEMPTS:
                            yield _died(task, f"the grading process died {MAX_ATTEMPTS} times on this submission "
                                              "(killed, or out of memory on the host)")
                        else:
                            queue.append(task)
                    except Exception as exc:  # noqa: BLE001 - e.g. an outcome that cannot be unpickled
                        yield _died(task, f"grader failure: {exc!r}")
                if broken:
                    for future, task in list(running.items()):  # their process pool is gone too
                        running.pop(future)
                        queue.append(task)
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
            finished = True
        finally:
            if finished and self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
            self.close()

    def close(self) -> None:
        """Stop at once (Ctrl-C, an error): running gradings are terminated and clean up their sandbox runs."""
        if self._pool is not None:
            for process in list(getattr(self._pool, "_processes", {}).values()):
                if process.is_alive():
                    process.terminate()  # SIGTERM: the worker's runs clean up on the way out
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class WorkerMismatch(RuntimeError):
    """The cluster's workers run another grader version: their results would be cached under the wrong key."""


def _worker_fingerprint() -> str:
    from grader.batch.store import grader_fingerprint

    return grader_fingerprint()


class DaskExecutor:
    """Gradings on a Dask distributed cluster; each worker needs the grader installed and its own Docker engine."""

    def __init__(self, address: str, connect_timeout: float = 30.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise WorkerMismatch("--scheduler needs Dask: install the cluster extra, "
                                 "`pip install 'aie-grader[cluster]'`") from None

        self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        workers = self.client.scheduler_info().get("workers", {})
        self.jobs = sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1
        self.description = f"Dask cluster {address}: {len(workers)} workers, {self.jobs} threads"

    def check_workers(self, expected: str) -> None:
        """Refuse a cluster whose workers run different grader code (or none yet)."""
        found = self.client.run(_worker_fingerprint)
        if not found:
            raise WorkerMismatch("the Dask scheduler has no workers; start some with `dask worker ADDRESS`")
        wrong = {worker: fp for worker, fp in found.items() if fp != expected}
        if wrong:
            listing = ", ".join(f"{w} has {fp}" for w, fp in sorted(wrong.items()))
            raise WorkerMismatch(f"the workers must run the same grader as this batch ({expected}): {listing}")

    def run(self, tasks: list[GradeTask]) -> Iterator[TaskOutcome]:
        from distributed import as_completed

        futures = {}
        for task in tasks:
            future = self.client.submit(grade_task, task, pure=False, key=f"grade-{task.candidate}-{task.key[:12]}")
            futures[future] = task
        try:
            for future in as_completed(futures, loop=self.client.loop):
                task = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost connection: this submission only
                    yield _died(task, f"the Dask worker failed on this submission: {exc!r}")
                finally:
                    future.release()
        finally:
            for future in futures:
                if not future.done():
                    future.cancel()

    def close(self) -> None:
        self.client.close()
