"""`grader mock init`: what a candidate gets for the mock test, and nothing of the held-out set.

The paper, with an appendix the real paper leaves to the handbook (the scale, each line's descriptors, the
pass rule, the grading environment's libraries and limits); the training data where the paper reads it; a
practice `data/holdout.db` drawn from the *training* rows, so the predictions contract can be exercised
before grading; and `data/.gitignore`, because the paper says not to submit the data.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd

from grader.packs.pack import Pack
from grader.rubric import load_rubric

PRACTICE_ROWS = 300
SCALE = "**0** not evident, **1** developing, **2** competent, **3** strong"


def write_mock_attempt(pack: Pack, dest: Path) -> list[str]:
    """Write the kit into dest; returns the files written, relative to dest."""
    data = dest / "data"
    data.mkdir(parents=True, exist_ok=True)
    train = data / Path(pack.dataset_file).name
    shutil.copyfile(pack.train_db, train)
    practice = data / pack.holdout_mount_name
    _write_practice_holdout(pack, train, practice)
    (data / ".gitignore").write_text("# the paper: do not submit the database; the assessors provide it\n*\n")
    (dest / "paper.md").write_text(pack.paper.read_text(encoding="utf-8") + grading_appendix(pack), encoding="utf-8")
    return ["paper.md", f"data/{train.name}", f"data/{practice.name}", "data/.gitignore"]


def _write_practice_holdout(pack: Pack, train: Path, target: Path) -> None:
    """Features of a sample of the training rows, under the held-out file's name and table, without the target."""
    with sqlite3.connect(train) as conn:
        frame = pd.read_sql_query(f'SELECT * FROM "{pack.table}"', conn)
    sample = frame.sample(n=min(PRACTICE_ROWS, len(frame)), random_state=0).drop(columns=[pack.target])
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as conn:
        sample.to_sql(pack.table, conn, index=False)


def grading_appendix(pack: Pack) -> str:
    """The scale, the lines, the pass rule, the environment: what the grader applies, in the paper's words."""
    from sandbox.kit import runner_kit

    rubric = load_rubric()
    rows = [f"| `{line.id}` | {line.title} | {'; '.join(line.descriptors)} |" for line in rubric.lines if line.auto]
    rule = pack.pass_rule
    levels = "".join(f", and `{line}` at least {level}" for line, level in rule.get("min_levels", {}).items())
    libraries = ", ".join(f"{name} {version}" for name, version in sorted(runner_kit().items()) if version)
    limits = pack.limits
    return f"""

---

## Appendix (mock test only): how `grader check` scores this

Each line of Annex A1 below is given a level on the scale {SCALE}. Communication (section 6) is
assessed at the interview and is not part of the automated total.

| line | title | what it looks for |
|---|---|---|
{chr(10).join(rows)}

**Pass rule:** a total of at least {float(rule.get("min_total_pct", 50)):g}% of the maximum{levels}.

**Grading environment:** Python 3.11 on Linux, no network, {limits.memory_mb} MB of memory, {limits.cpus:g} CPU,
{limits.timeout_s / 60:g} minutes. Your `requirements.txt` is installed first; these libraries are already there:
{libraries}.

**The practice held-out file:** `data/holdout.db` in this folder has {PRACTICE_ROWS} rows drawn from the
*training* data, without `{pack.target}`, so you can check that your pipeline writes
`{pack.predictions_file}` as the contract says. At grading the assessors' own `data/holdout.db` (unseen rows)
replaces it.
"""
