"""The paper's rules and the static leakage check, on small submissions the tests make."""

from __future__ import annotations

from checks.environment import ImportsCovered
from checks.preparation import FitBeforeSplit
from checks.rules import CommittedArtifacts, DataAccessRules, PipelineInModules, RunScriptRules
from tests.check_helpers import make


def test_run_sh_that_installs_activates_and_cds_away(tmp_path):
    ctx = make(tmp_path, {
        "run.sh": "#!/bin/bash\nsource venv/bin/activate\npip install -r requirements.txt\ncd src\npython main.py\n",
        "src/main.py": "import sqlite3\nconn = sqlite3.connect('data/deliveries.db')\n",
    })
    ctx.run_script = "run.sh"
    evidence = RunScriptRules()(ctx)
    assert evidence.metrics["violations"] == 3
    text = "\n".join(evidence.findings)
    assert "run.sh:2" in text and "virtualenv" in text
    assert "run.sh:3" in text and "installs packages" in text
    assert "run.sh:4" in text and "`cd src`" in text


def test_installs_and_virtualenvs_are_environment_steps_a_cd_and_a_download_are_not(tmp_path):
    ctx = make(tmp_path, {
        "run.sh": "#!/bin/bash\nsource venv/bin/activate\npip install -r requirements.txt\n"
                  "curl -O https://example.com/deliveries.db\ncd src\npython main.py\n",
        "src/main.py": "import sqlite3\nconn = sqlite3.connect('data/deliveries.db')\n",
    })
    ctx.run_script = "run.sh"
    evidence = RunScriptRules()(ctx)
    assert evidence.metrics["violations"] == 4 and evidence.metrics["environment_steps"] == 2
    only_cd = make(tmp_path / "b", {"run.sh": "cd src\npython main.py\n",
                                    "src/main.py": "PATH = 'data/deliveries.db'\n"})
    only_cd.run_script = "run.sh"
    assert RunScriptRules()(only_cd).metrics["environment_steps"] == 0


def test_cd_to_the_script_folder_is_fine(tmp_path):
    ctx = make(tmp_path, {"run.sh": 'cd "$(dirname "$0")"\npython -m src.main\n',
                          "src/main.py": "PATH = 'data/deliveries.db'\n"})
    ctx.run_script = "run.sh"
    assert RunScriptRules()(ctx).metrics["violations"] == 0


def test_absolute_paths_downloads_and_no_sqlite(tmp_path):
    ctx = make(tmp_path, {"src/load.py": (
        "import pandas as pd\nimport urllib.request\n"
        "df = pd.read_csv('/Users/amy/Downloads/deliveries.csv')\n"
        "urllib.request.urlretrieve('https://example.com/deliveries.csv', 'd.csv')\n")})
    evidence = DataAccessRules()(ctx)
    assert evidence.metrics["violations"] == 3 and not evidence.metrics["reads_sqlite"]
    assert any("src/load.py:3: absolute path" in f for f in evidence.findings)
    assert any("downloads at run time" in f for f in evidence.findings)
    assert any("does not read the data with sqlite3" in f for f in evidence.findings)


def test_committed_artifacts(tmp_path):
    ctx = make(tmp_path, {"src/main.py": "x = 1\n"})
    ctx.all_files = ["venv/pyvenv.cfg", "venv/lib/python3.11/site-packages/x.py", "src/__pycache__/main.pyc",
                     "data/deliveries.db", "models/model.pkl", "__MACOSX/._run.sh", "src/main.py", "eda.ipynb"]
    (ctx.root / "eda.ipynb").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:1\nsize 9\n")
    evidence = CommittedArtifacts()(ctx)
    text = "\n".join(evidence.findings)
    for expected in ("virtualenv", "cache folder", "the data itself", "trained model", "macOS", "Git LFS pointer"):
        assert expected in text, expected
    assert evidence.metrics["artifacts"] == 6


def test_pipeline_in_notebooks(tmp_path):
    ctx = make(tmp_path, {"run.sh": "jupyter nbconvert --to notebook --execute pipeline.ipynb\n",
                          "pipeline.ipynb": "{}"})
    ctx.run_script = "run.sh"
    evidence = PipelineInModules()(ctx)
    assert evidence.metrics["in_notebooks"]
    assert any("executes a notebook" in f for f in evidence.findings)


LEAKY = '''
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split

def prepare(X, y):
    imputer = SimpleImputer(strategy="median")
    X = imputer.fit_transform(X)
    X = StandardScaler().fit_transform(X)
    return train_test_split(X, y, test_size=0.2)
'''

CLEAN = '''
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

def train(X, y):
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y)
    model = make_pipeline(SimpleImputer(), LogisticRegression()).fit(X_tr, y_tr)
    return model.score(X_te, y_te)
'''


def test_fit_before_split_is_a_leak_and_after_is_not(tmp_path):
    leaky = FitBeforeSplit()(make(tmp_path / "a", {"src/prep.py": LEAKY}))
    assert leaky.metrics["leaks"] == 2
    assert leaky.locations[0].path == "src/prep.py" and {loc.line for loc in leaky.locations} == {8, 9}
    clean = FitBeforeSplit()(make(tmp_path / "b", {"src/train.py": CLEAN}))
    assert clean.metrics["leaks"] == 0


def test_imports_not_in_requirements(tmp_path):
    ctx = make(tmp_path, {"src/a.py": "import yaml\nimport xgboost\nimport os\nfrom src import b\nimport sklearn\n",
                          "src/b.py": "x = 1\n", "requirements.txt": "pyyaml==6.0\nscikit-learn==1.5\n"})
    ctx.requirement_files = ["requirements.txt"]
    evidence = ImportsCovered()(ctx)
    assert evidence.metrics["uncovered"] == 1
    assert "`xgboost`" in evidence.findings[0] and evidence.findings[0].startswith("src/a.py:2")


def test_files_left_out_by_the_submissions_gitignore_are_not_committed_artifacts(tmp_path):
    """A mock attempt graded in place: data/ carries its own .gitignore (`grader mock init` writes it)."""
    ctx = make(tmp_path, {"src/main.py": "x = 1\n", "data/.gitignore": "*\n", ".gitignore": "models/\n*.pyc\n",
                          "data/deliveries.db": b"x", "data/holdout.db": b"x", "models/model.pkl": b"x",
                          "src/__pycache__/main.pyc": b"x", "output/model.joblib": b"x"})
    ctx.all_files = sorted(str(p.relative_to(ctx.root)) for p in ctx.root.rglob("*") if p.is_file())
    evidence = CommittedArtifacts()(ctx)
    assert evidence.metrics == {"artifacts": 1, "git_ignored": 4}  # output/model.joblib is not ignored
    assert evidence.findings[0] == "output/model.joblib: a trained model file"
    assert "left out by .gitignore" in evidence.findings[1]
    ctx.all_files.remove(".gitignore")  # without the root's rules, the model and the cache count again
    assert CommittedArtifacts()(ctx).metrics["artifacts"] == 3
