"""A notebook edited after it ran, and the CheckContext NBK001 reads: shared by the notebook re-execution tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from checks.context import CheckContext
from sandbox.base import RunResult

COLUMNS = ("delivery_id", "distance_km", "weather", "late")


def synthetic_notebook() -> nbformat.NotebookNode:
    """Cell 2 stored a different print, cell 3 raises and ran first ([1] after [2]), cell 4 differs only in noise."""
    return new_notebook(cells=[
        new_markdown_cell("# A notebook edited after it ran"),
        new_code_cell("x = 2\nprint('x is', x)", execution_count=2,
                      outputs=[new_output("stream", name="stdout", text="x is 3\n")]),
        new_code_cell("ratio = x / 0", execution_count=1),
        new_code_cell("print(0.1 + 0.2)\nobject()", execution_count=3, outputs=[
            new_output("stream", name="stdout", text="0.3000000000000001   \n"),
            new_output("execute_result", data={"text/plain": "<object at 0x7f3a2b1c9e40>"}, execution_count=3)]),
        new_code_cell("print('done')", execution_count=4,
                      outputs=[new_output("stream", name="stdout", text="done\n")]),
    ])


def context(root: Path, run: RunResult | None, notebooks: list[str] | None = None) -> CheckContext:
    return CheckContext(root=root, python_files=[], notebooks=["eda.ipynb"] if notebooks is None else notebooks,
                        readme=None, run_script=None, requirement_files=[], dataset_columns=COLUMNS, target="late",
                        notebook_run=run)

