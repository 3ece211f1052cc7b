"""The attacks of issue 13 (items 4-6), built at test time from a copy of a sample (never the original)."""

from __future__ import annotations

import base64
import shutil
import struct
import zlib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_output

from tests.conftest import SAMPLES

# Eight plotting cells whose code fails on re-execution (`clean` is never defined): the stored images are forged.
FORGED_PLOT_CELLS = (
    "sns.boxplot(x='weather', y='distance_km', hue='late', data=clean)",
    "sns.scatterplot(x='distance_km', y='traffic_index', hue='late', data=clean)",
    "sns.heatmap(clean.corr(numeric_only=True), annot=True)",
    "sns.barplot(x='vehicle_type', y='late', data=clean)",
    "sns.violinplot(x='customer_tier', y='driver_rating', hue='late', data=clean)",
    "sns.lineplot(x='num_items', y='late', data=clean)",
    "sns.histplot(data=clean, x='driver_experience_yrs', hue='late')",
    "sns.regplot(x='traffic_index', y='distance_km', data=clean)",
)


def tiny_png() -> str:
    """A valid 1x1 PNG, base64: what a forger pastes into a notebook's outputs."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) \
        + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


def copy_sample(name: str, dest: Path) -> Path:
    """A private copy of a sample submission."""
    shutil.copytree(SAMPLES / name, dest, ignore=shutil.ignore_patterns("EXPECTED.toml"))
    return dest


def forged_plots(dest: Path, base: str = "weak") -> Path:
    """`base` plus eight cells with hand-made 1x1 PNG outputs whose code raises NameError when re-executed."""
    root = copy_sample(base, dest)
    path = root / "eda.ipynb"
    nb = nbformat.read(path, as_version=4)
    count = max((c.get("execution_count") or 0 for c in nb.cells if c.cell_type == "code"), default=0)
    image = tiny_png()
    for offset, source in enumerate(FORGED_PLOT_CELLS, start=1):
        nb.cells.append(new_code_cell(source, execution_count=count + offset, outputs=[
            new_output("display_data", data={"image/png": image, "text/plain": "<Figure size 640x480 with 1 Axes>"})]))
    nbformat.write(nb, path)
    return root


TIDY_MODULE = '''"""Helpers for the {topic} part of the delivery analysis (module {index})."""

from __future__ import annotations


def scale_{topic}_{index}(values: list[float], factor: float) -> list[float]:
    """Multiply every {topic} value by factor {index} and return the new list."""
    # a list comprehension keeps the original values untouched
    return [value * factor for value in values]


def mean_{topic}_{index}(values: list[float]) -> float:
    """The arithmetic mean of the {topic} values, zero when there are none ({index})."""
    # an empty list has no mean: report zero instead of dividing by zero
    return sum(values) / len(values) if values else 0.0


def clip_{topic}_{index}(values: list[float], upper: float) -> list[float]:
    """Clip every {topic} value at the upper bound so outliers stay in range ({index})."""
    # min() keeps values below the bound as they are
    return [min(value, upper + {index}) for value in values]
'''
TOPICS = ("distance", "weight", "traffic", "rating", "items", "experience")


def unused_modules(dest: Path, base: str = "weak", count: int = 150) -> Path:
    """`base` plus `count` tidy, documented modules that nothing imports."""
    root = copy_sample(base, dest)
    package = root / "src" / "toolkit"
    package.mkdir(parents=True)
    for index in range(count):
        text = TIDY_MODULE.format(topic=TOPICS[index % len(TOPICS)], index=index)
        (package / f"helpers_{index:03d}.py").write_text(text)
    return root


def huge_module(dest: Path, base: str = "average", lines: int = 200_000, imported: bool = True) -> Path:
    """`base` plus a 200k-line lookup table (600 kB, under the source cap) its main module imports."""
    root = copy_sample(base, dest)
    (root / "src" / "lookup_table.py").write_text('"""A lookup table."""\nTABLE = [\n' + "0,\n" * lines + "]\n")
    if imported:
        main = root / "src" / "main.py"
        text = main.read_text()
        anchor = "\nimport "
        at = text.index(anchor)
        main.write_text(text[:at] + "\nimport lookup_table  # noqa: F401" + text[at:])
    return root


def oversized_notebook(dest: Path, base: str = "average", size: int = 50_000_001) -> Path:
    """`base` whose notebook is padded (a long markdown cell) past the grader's notebook parse cap."""
    root = copy_sample(base, dest)
    path = root / "eda.ipynb"
    nb = nbformat.read(path, as_version=4)
    current = len(nbformat.writes(nb).encode())
    nb.cells.append(nbformat.v4.new_markdown_cell("x" * max(0, size - current)))
    nbformat.write(nb, path)
    return root
