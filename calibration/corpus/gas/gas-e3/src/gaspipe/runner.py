"""Runs a list of registered steps in order, timing each one."""
import time

from . import plugins  # noqa: F401  (registers plugins)
from . import steps  # noqa: F401  (registers steps)
from .context import RunContext
from .registry import STEPS


class PipelineRunner:
    def __init__(self, settings, step_names=None):
        self.settings = settings
        self.step_names = step_names or settings["pipeline"]["steps"]
        self.ctx = RunContext(settings=settings)

    def run(self):
        for name in self.step_names:
            t0 = time.time()
            STEPS.get(name)(self.ctx)
            print(f"  ({name}: {time.time() - t0:.1f}s)")
        return self.ctx
