"""File-system edges shared by the sandbox backends: capped scratch directories, copying out results."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def capped_directory(size_mb: int, executable: bool = False) -> Iterator[tuple[Path, bool]]:
    """A host directory the container may write to, on its own size-capped tmpfs when we may mount.

    Yields (path, cap_enforced). Without the right to mount (not root), the directory is plain and
    only the grader's read caps protect the host.
    """
    path = Path(tempfile.mkdtemp(prefix="aie-out-"))
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0777,nosuid,nodev{'' if executable else ',noexec'}",
             "tmpfs", str(path)],
            capture_output=True, check=False,
        )
        mounted = proc.returncode == 0
    if not mounted:
        path.chmod(0o777)
    try:
        yield path, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)
        shutil.rmtree(path, ignore_errors=True)


def copy_outputs(src: Path, dest: Path, max_files: int = 200) -> list[str]:
    """Copy regular files the run wrote (no links, no devices) out of the capped directory."""
    copied: list[str] = []
    dest.mkdir(parents=True, exist_ok=True)
    for root, dirs, files in os.walk(src, followlinks=False):
        rel_root = Path(root).relative_to(src)
        for name in sorted(files):
            source = Path(root) / name
            if source.is_symlink() or not source.is_file() or len(copied) >= max_files:
                continue
            target = dest / rel_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target, follow_symlinks=False)
            copied.append(str(rel_root / name))
        dirs[:] = [d for d in dirs if not (Path(root) / d).is_symlink()]
    return copied
