"""The assisted re-run on the commonest mechanical failures (issue 14 item 3).

A venv / pip run.sh without `set -e`, a multi-command install line, data read at the repository root
(by the pipeline or the EDA notebook), and a committed virtualenv no repair may touch. The planning
side (grader/run/assist.py) and the applying side (sandbox/tools/aie_assist.py, aie_nbrun.py) are called
directly; tests/integration/test_assist_habits_docker.py runs the venv fixture through the sandbox.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import replace
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from grader.run.assist import ENV_LINE_PATTERNS, AssistPlan, env_commands, plan_repairs
from sandbox.base import STATUS_COMPLETED, STATUS_FAILED, Limits, RunResult
from sandbox.notebook import notebook_notes, notebook_spec
from sandbox.tools import aie_assist, aie_nbrun

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "habits"
NAMES = ("deliveries.db", "holdout.db")
VENV_SCRIPT = (FIXTURES / "venv_runsh" / "run.sh").read_text()
PIP_OFFLINE_LOG = """\
WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by \
'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: \
[Errno -3] Temporary failure in name resolution')': /simple/pandas/
ERROR: Could not find a version that satisfies the requirement pandas (from versions: none)
ERROR: No matching distribution found for pandas
Traceback (most recent call last):
  File "/work/src/main.py", line 5, in <module>
    import pandas as pd
ModuleNotFoundError: No module named 'pandas'
"""


def failed(stderr: str) -> RunResult:
    return RunResult(backend="test", label="submitted run", command=("bash", "run.sh"), status=STATUS_FAILED,
                     exit_code=1, duration_s=1.0, stderr=stderr)


def write(root: Path, files: dict[str, str]) -> list[str]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return list(files)


def staged_db(path: Path, rows: int = 3) -> Path:
    """A tiny deliveries table at path (the staged data file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE deliveries (delivery_id INTEGER, late INTEGER)")
        conn.executemany("INSERT INTO deliveries VALUES (?, ?)", [(i, i % 2) for i in range(rows)])
    return path


# ---------------------------------------------------------------- venv / pip lines in run.sh


def test_venv_and_pip_lines_without_set_e_are_stripped_after_a_failed_run(tmp_path):
    assert "set -e" not in VENV_SCRIPT
    files = write(tmp_path, {"run.sh": VENV_SCRIPT, "src/main.py": "import pandas\n"})
    plan = plan_repairs(tmp_path, files, VENV_SCRIPT, failed(PIP_OFFLINE_LOG), NAMES)
    assert plan.strip_lines == list(ENV_LINE_PATTERNS)
    assert not (plan.link_data or plan.place_data or plan.make_dirs or plan.replace or plan.set_config)
    assert len(plan.reasons) == 1 and "pip install -r requirements.txt" in plan.reasons[0]
    assert "source .venv/bin/activate" in plan.reasons[0]
    assert env_commands("echo hi\npython src/main.py\n") == []  # nothing to strip: no plan


def test_a_multi_command_line_keeps_its_python_part_and_the_script_still_parses(tmp_path):
    script = ("#!/bin/bash\n"
              "python3 -m venv .venv && source .venv/bin/activate && python3 -c 'print(\"main ran\")'\n"
              "if [ ! -d venv ]; then\n  python3 -m venv venv\nfi\n"
              "pip install -r requirements.txt \\\n  --no-cache-dir\n"
              "cd . ; pip3 install pandas ; echo 'pip install stays in a string'  # a comment\n")
    (tmp_path / "run.sh").write_text(script)
    assert env_commands(script) == ["python3 -m venv .venv", "source .venv/bin/activate", "python3 -m venv venv",
                                    "pip install -r requirements.txt \\ --no-cache-dir", "pip3 install pandas"]
    aie_assist.strip_lines(list(ENV_LINE_PATTERNS), str(tmp_path))
    lines = (tmp_path / "run.sh").read_text().splitlines()
    assert lines[1] == ": && : && python3 -c 'print(\"main ran\")'"
    assert lines[3].startswith("  : # removed by the grader") and "python3 -m venv venv" in lines[3]
    assert lines[4] == "fi" and lines[5].startswith(": # removed by the grader") and "--no-cache-dir" in lines[5]
    assert lines[6] == "cd . ; : ; echo 'pip install stays in a string'  # a comment"
    done = subprocess.run(["bash", "run.sh"], cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["main ran", "pip install stays in a string"]
    assert not (tmp_path / ".venv").exists() and not (tmp_path / "venv").exists()


# ---------------------------------------------------------------- a committed virtualenv is never touched


def test_no_repair_reads_or_edits_a_committed_virtualenv(tmp_path):
    vendored = "DEFAULT = '/home/user/data/deliveries.db'\nOTHER = 'deliveries.db'\nn_estimators = 5000\n"
    files = write(tmp_path, {
        "run.sh": "python src/main.py\n",
        "src/main.py": "import sqlite3\nconn = sqlite3.connect('/home/user/data/deliveries.db')\n",
        "TAvenv/pyvenv.cfg": "home = /usr/bin\n",
        "TAvenv/lib/python3.11/site-packages/pip/x.py": vendored,
        "env2/lib/python3.11/site-packages/pkg/y.py": vendored,  # a venv without pyvenv.cfg
        "node_modules/z/config.json": '{"db": "/home/user/data/deliveries.db"}',
    })
    plan = plan_repairs(tmp_path, files, "python src/main.py\n",
                        failed("sqlite3.OperationalError: unable to open database file"), NAMES)
    named = json.dumps(plan.as_json())
    assert plan.replace == [{"file": "src/main.py", "old": "/home/user/data/deliveries.db",
                             "new": "data/deliveries.db"}]
    assert "TAvenv" not in named and "env2" not in named and "node_modules" not in named
    timeout = replace(failed(""), timed_out=True)
    assert plan_repairs(tmp_path, files, "python src/main.py\n", timeout, NAMES).set_config == []

    forged = {"replace": [{"file": "TAvenv/lib/python3.11/site-packages/pip/x.py", "old": "/home", "new": "X"},
                          {"file": "env2/lib/python3.11/site-packages/pkg/y.py", "old": "/home", "new": "X"},
                          {"file": "src/main.py", "old": "/home/user/data/deliveries.db",
                           "new": "data/deliveries.db"}],
              "set_config": [{"file": "TAvenv/lib/python3.11/site-packages/pip/x.py", "key": "n_estimators",
                              "value": 1}],
              "place_data": [{"path": "TAvenv/deliveries.db"}], "make_dirs": ["TAvenv/models"]}
    staged_db(tmp_path / "data" / "deliveries.db")
    aie_assist.apply(forged, str(tmp_path), str(tmp_path / "data"))
    assert (tmp_path / "TAvenv/lib/python3.11/site-packages/pip/x.py").read_text() == vendored
    assert (tmp_path / "env2/lib/python3.11/site-packages/pkg/y.py").read_text() == vendored
    assert not (tmp_path / "TAvenv/deliveries.db").exists() and not (tmp_path / "TAvenv/models").exists()
    assert "sqlite3.connect('data/deliveries.db')" in (tmp_path / "src/main.py").read_text()


def test_the_applying_side_never_writes_through_a_symbolic_link(tmp_path):
    work, outside = tmp_path / "work", tmp_path / "outside"
    write(outside, {"secret.py": "PATH = '/home/user/data/deliveries.db'\n"})
    write(work, {"src/main.py": "x = 1\n"})
    (work / "src" / "linked.py").symlink_to(outside / "secret.py")
    (work / "elsewhere").symlink_to(outside, target_is_directory=True)
    staged_db(work / "data" / "deliveries.db")
    plan = {"replace": [{"file": "src/linked.py", "old": "/home", "new": "X"},
                        {"file": "elsewhere/secret.py", "old": "/home", "new": "X"}],
            "place_data": [{"path": "elsewhere/deliveries.db"}], "make_dirs": ["elsewhere/models"],
            "link_data": ["elsewhere"]}
    aie_assist.apply(plan, str(work), str(work / "data"))
    assert (outside / "secret.py").read_text() == "PATH = '/home/user/data/deliveries.db'\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.py"]


# ---------------------------------------------------------------- data read where the candidate kept it


def test_a_pipeline_reading_the_db_at_the_root_gets_it_placed_there(tmp_path):
    files = write(tmp_path, {"run.sh": "python src/main.py\n",
                             "src/main.py": "import pandas as pd\nDB = 'deliveries.db'\n"
                                            "path = os.path.join('data', 'holdout.db')\n"})
    log = "FileNotFoundError: [Errno 2] No such file or directory: 'deliveries.db'\n"
    plan = plan_repairs(tmp_path, files, "python src/main.py\n", failed(log), NAMES)
    assert plan.place_data == [{"path": "deliveries.db"}]  # holdout.db is one part of a joined path: not placed
    assert any("data placed at deliveries.db" in r and "as an assessor would" in r for r in plan.reasons)
    assert not plan.strip_lines

    staged_db(tmp_path / "data" / "deliveries.db", rows=5)
    aie_assist.apply(plan.as_json(), str(tmp_path), str(tmp_path / "data"))
    assert (tmp_path / "deliveries.db").is_symlink()
    with sqlite3.connect(tmp_path / "deliveries.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 5


def test_data_paths_under_data_are_left_to_the_staged_folder_and_its_link(tmp_path):
    script = "cd src\npython main.py\n"
    code = "DB = './data/deliveries.db'\nH = '../data/holdout.db'\n"
    files = write(tmp_path, {"run.sh": script, "src/main.py": code})
    log = "sqlite3.OperationalError: unable to open database file"
    plan = plan_repairs(tmp_path, files, script, failed(log), NAMES)
    assert plan.link_data == ["src"] and plan.place_data == []


def test_a_real_bug_with_the_data_in_place_plans_no_placement(tmp_path):
    files = write(tmp_path, {"run.sh": "python main.py\n", "main.py": "DB = 'data/deliveries.db'\n"})
    log = "sqlite3.OperationalError: no such table: deliverys\n"
    assert plan_repairs(tmp_path, files, "python main.py\n", failed(log), NAMES).empty()


def test_a_notebook_reading_the_db_at_the_root_gets_a_link_and_a_note(tmp_path):
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "notebook_root_db", work)
    staged = staged_db(work / "data" / "deliveries.db", rows=4)
    nb = nbformat.read(work / "eda.ipynb", as_version=4)
    notes = aie_nbrun.place_data(nb, str(work / "eda.ipynb"), str(work), str(work / "data"), list(NAMES))
    link = work / "deliveries.db"
    assert link.is_symlink() and link.resolve() == staged.resolve()
    with sqlite3.connect(link) as conn:
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 4
    assert notes == ["data placed at deliveries.db where the notebook reads it ('deliveries.db'), "
                     "as an assessor would"]
    again = aie_nbrun.place_data(nb, str(work / "eda.ipynb"), str(work), str(work / "data"), list(NAMES))
    assert again == []  # already there: nothing placed twice


def test_a_notebook_in_a_folder_reading_dot_dot_data_needs_no_placement(tmp_path):
    work = tmp_path / "work"
    staged_db(work / "data" / "deliveries.db")
    nb = new_notebook(cells=[new_code_cell("import sqlite3\nconn = sqlite3.connect('../data/deliveries.db')")])
    (work / "notebooks").mkdir()
    before = sorted(str(p.relative_to(work)) for p in work.rglob("*"))
    notes = aie_nbrun.place_data(nb, str(work / "notebooks" / "eda.ipynb"), str(work), str(work / "data"),
                                 ["deliveries.db"])
    assert notes == [] and sorted(str(p.relative_to(work)) for p in work.rglob("*")) == before


def test_a_path_outside_the_workspace_is_noted_not_placed(tmp_path):
    work = tmp_path / "work"
    staged_db(work / "data" / "deliveries.db")
    nb = new_notebook(cells=[new_code_cell("import pandas as pd\nimport sqlite3\n"
                                           "df = pd.read_sql('SELECT 1', sqlite3.connect('../data/deliveries.db'))\n"
                                           "other = 'db/holdout.db'  # not staged in this test")])
    notes = aie_nbrun.place_data(nb, str(work / "eda.ipynb"), str(work), str(work / "data"), ["deliveries.db"])
    assert len(notes) == 1 and "outside the workspace" in notes[0] and "cannot be placed" in notes[0]
    assert not (tmp_path / "data").exists() and not (work / "db").exists()


def test_the_notebook_spec_names_the_staged_files_and_the_notes_come_back(tmp_path):
    staged_db(tmp_path / "data" / "deliveries.db")
    staged_db(tmp_path / "data" / "holdout.db")
    spec = notebook_spec(tmp_path, tmp_path / "data", "eda.ipynb", Limits())
    assert dict(spec.env)["AIE_DATA_FILES"] == json.dumps(["deliveries.db", "holdout.db"])
    report = aie_nbrun.new_report("eda.ipynb")
    report["notes"] = ["data placed at deliveries.db where the notebook reads it ('deliveries.db'), as an assessor "
                       "would"]
    run = RunResult(backend="test", label="notebook re-execution", command=spec.command, status=STATUS_COMPLETED,
                    exit_code=0, duration_s=1.0, stdout="AIE-NBRUN " + json.dumps(report))
    assert notebook_notes(run) == report["notes"]
    assert notebook_notes(replace(run, stdout="no marker")) == []


def test_the_plan_carries_place_data_to_the_tool():
    plan = AssistPlan(place_data=[{"path": "deliveries.db"}], reasons=["data placed at deliveries.db"])
    assert not plan.empty() and plan.as_json()["place_data"] == [{"path": "deliveries.db"}]
    assert not AssistPlan().merge(AssistPlan()) and plan.merge(AssistPlan(strip_lines=["x"]))


def test_a_cd_into_src_links_data_and_output_so_the_predictions_reach_the_contracted_folder(tmp_path):
    write(tmp_path, {"src/main.py": "x = 1\n"})
    staged_db(tmp_path / "data" / "deliveries.db", rows=3)
    aie_assist.apply({"link_data": ["src"]}, str(tmp_path), str(tmp_path / "data"))
    (tmp_path / "src" / "output").joinpath("predictions.csv").write_text("id,late\n1,0\n")
    assert (tmp_path / "output" / "predictions.csv").read_text() == "id,late\n1,0\n"
    with sqlite3.connect(tmp_path / "src" / "data" / "deliveries.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 3
