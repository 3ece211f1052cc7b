"""The checks behind the marking guide's decisive tests, on small submissions the tests make (no Docker)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from checks.base import NOT_APPLICABLE, OK
from checks.context import CheckContext
from checks.craft import CodeCraft
from checks.crude_cleaning import CrudeCleaning
from checks.eda_depth import EdaDepth
from checks.hygiene import EnvironmentHygiene
from checks.justification import JustifiedChoices
from checks.linkage import EdaToPipeline
from checks.practices import ModellingPractices
from checks.programming import ExceptionHandling
from checks.reuse import InferenceCopies
from checks.test_selection import SelectionOnTest

COLUMNS = ("Client ID", "Housing Loan", "Campaign Calls", "Previous Contact Days", "Subscription Status")
PIPELINE = '''"""Train the model."""
import logging
import sqlite3

from sklearn.ensemble import {model}

LOG = logging.getLogger(__name__)
DB_PATH = "data/bmarket.db"


def load() -> object:
    """Read the table."""
    return sqlite3.connect(DB_PATH)


def clean(df):
    """Turn the 999 sentinel into a flag."""
    df["never_contacted"] = df["Previous Contact Days"] == 999
    return df


def main() -> None:
    model = {model}()
    LOG.info("model %s", model)


if __name__ == "__main__":
    main()
'''


def notebook(*cells: tuple[str, str], image_after: tuple[int, ...] = ()) -> str:
    nb = nbformat.v4.new_notebook()
    for number, (kind, text) in enumerate(cells):
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
            continue
        cell = nbformat.v4.new_code_cell(text)
        if number in image_after:
            cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
        nb.cells.append(cell)
    return nbformat.writes(nb)


def make(tmp_path: Path, files: dict[str, str], task: str = "binary") -> CheckContext:
    root = tmp_path / "sub"
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    rel_files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return CheckContext(root=root, python_files=[f for f in rel_files if f.endswith(".py")],
                        notebooks=[f for f in rel_files if f.endswith(".ipynb")],
                        readme="README.md" if "README.md" in files else None, run_script=None,
                        requirement_files=[f for f in rel_files if f == "requirements.txt"], all_files=rel_files,
                        dataset_columns=COLUMNS, target="Subscription Status", settings={"task": task})


def test_a_reason_naming_this_data_outranks_a_general_one(tmp_path):
    readme = ("# Choices\n\nHousing Loan is missing in 60% of rows, so we keep missingness as its own category "
              "rather than impute.\n\nWe use F1 because it is a good metric.\n\nWe trained a random forest.\n")
    ev = JustifiedChoices()(make(tmp_path, {"README.md": readme, "src/train.py": PIPELINE.format(model="X")}))
    assert ev.status == OK
    assert ev.metrics["imputation"] == 2  # names a column and a share
    assert ev.metrics["metric"] == 1  # a reason, but nothing of this data
    assert ev.metrics["split"] == 0 and ev.metrics["tuning"] == 0
    assert any(loc.path == "README.md" and loc.line == 3 for loc in ev.locations)


def test_a_practice_only_named_is_not_explained(tmp_path):
    readme = "# Models\n\nRandom forest. Grid search. Stratified split. F1.\n"
    ev = JustifiedChoices()(make(tmp_path, {"README.md": readme, "src/train.py": PIPELINE.format(model="X")}))
    assert ev.metrics["explained"] == 0 and ev.metrics["data_specific"] == 0


def test_a_finding_in_the_notebook_reaches_the_pipeline(tmp_path):
    nb = notebook(("md", "Previous Contact Days uses `999` for clients never contacted, so we flag them."),
                  ("md", "Campaign Calls has negative values we cannot explain."))
    ctx = make(tmp_path, {"eda.ipynb": nb, "src/train.py": PIPELINE.format(model="RandomForestClassifier")})
    ev = EdaToPipeline()(ctx)
    assert ev.metrics["columns_discussed"] == 2
    assert ev.metrics["columns_linked"] == 1  # Previous Contact Days is in the code, Campaign Calls is not
    assert ev.metrics["values_linked"] == 1  # the 999 sentinel
    assert ev.metrics["decisions_mapped"] == 1


def test_no_notebook_prose_is_not_applicable(tmp_path):
    ev = EdaToPipeline()(make(tmp_path, {"src/train.py": PIPELINE.format(model="X")}))
    assert ev.status == NOT_APPLICABLE and ev.metrics["columns_linked"] == 0


def test_a_notebook_exported_as_a_script_is_seen(tmp_path):
    script = ("# In[1]:\nimport pandas as pd\n# df = pd.read_csv('x.csv')\nprint('debug')\n"
              "# In[2]:\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\n")
    ev = CodeCraft()(make(tmp_path, {"src/main.py": script}))
    assert ev.metrics["notebook_markers"] == 2
    assert ev.metrics["commented_code"] >= 1 and ev.metrics["plot_calls"] == 1
    assert ev.metrics["uses_logging"] is False


def test_typed_logged_code_with_constants(tmp_path):
    ev = CodeCraft()(make(tmp_path, {"src/train.py": PIPELINE.format(model="RandomForestClassifier")}))
    assert ev.metrics["uses_logging"] is True and ev.metrics["constants"] == 2
    assert ev.metrics["typed_share"] == round(2 / 3, 3) and ev.metrics["module_doc_share"] == 1.0
    assert ev.metrics["notebook_markers"] == 0 and ev.metrics["main_guard"] is True


def test_a_regressor_on_a_class_target_is_the_wrong_task(tmp_path):
    wrong = ModellingPractices()(make(tmp_path, {"src/train.py": PIPELINE.format(model="RandomForestRegressor")}))
    assert wrong.metrics["task_mismatch"] is True
    right = ModellingPractices()(make(tmp_path / "b", {"src/train.py": PIPELINE.format(model="RandomForestRegressor")},
                                      task="regression"))
    assert right.metrics["task_mismatch"] is False


def test_baseline_and_bias_variance_read_from_the_readme(tmp_path):
    readme = ("# Evaluation\n\nThe always-no baseline scores an F1 of 0.0 and accuracy 0.89.\n\n"
              "Train F1 is 0.95 against 0.61 on CV: the forest overfits.\n")
    ev = ModellingPractices()(make(tmp_path, {"README.md": readme,
                                              "src/train.py": PIPELINE.format(model="RandomForestClassifier")}))
    assert ev.metrics["baseline"] is True and ev.metrics["bias_variance"] is True
    assert ev.metrics["threshold_analysis"] is False


def test_a_full_freeze_and_hygiene(tmp_path):
    freeze = "\n".join(f"package{i}==1.{i}" for i in range(40)) + "\nipykernel==6.0\n"
    readme = "```\nsrc/\n├── train.py\n```\npip install -r requirements.txt\n"
    files = {"requirements.txt": freeze, ".gitignore": "data/\n", "README.md": readme}
    ev = EnvironmentHygiene()(make(tmp_path, files))
    assert ev.metrics["full_freeze"] is True and ev.metrics["exact_share"] == 1.0
    assert ev.metrics["gitignore"] is True and ev.metrics["documented_tree"] is True and ev.metrics["setup_steps"]
    curated = EnvironmentHygiene()(make(tmp_path / "b", {"requirements.txt": "pandas>=2.0\nscikit-learn==1.5.0\n"}))
    assert curated.metrics["full_freeze"] is False
    assert curated.metrics["versioned_share"] == 1.0 and curated.metrics["exact_share"] == 0.5
    assert curated.metrics["gitignore"] is False


def test_formal_tests_and_interpreted_plots(tmp_path):
    nb = notebook(("code", "from scipy.stats import chi2_contingency\nchi2_contingency(table)\ndf.describe()"),
                  ("code", "ax = df.plot()\nax.set_title('Calls by outcome')"),
                  ("md", "Clients called more than five times subscribe less often: the rate falls steadily with every "
                         "extra call in the campaign."),
                  ("code", "df.hist()"),
                  ("code", "df['Age'].median(); df['Age'].mean(); df['Age'].std()"),
                  image_after=(1, 3))
    ev = EdaDepth()(make(tmp_path, {"eda.ipynb": nb}))
    assert ev.metrics["formal_tests"] == 1
    assert ev.metrics["plot_cells"] == 2
    assert ev.metrics["titled_share"] == 0.5 and ev.metrics["interpreted_share"] == 0.5
    assert ev.metrics["descriptive_kinds"] >= 3


def test_readme_scores_are_looked_for_in_what_the_run_printed(tmp_path):
    from types import SimpleNamespace

    from checks.claims import ReadmeClaims, readme_claims

    readme = ("# Results\n\n| model | F1 | AUC |\n|---|---|---|\n| forest | 0.621 | 0.85 |\n\n"
              "# Other\n\nThe random forest reached an F1 of 0.603.\n")
    assert readme_claims(readme) == [(5, 0.621), (5, 0.85), (9, 0.603)]
    ctx = make(tmp_path, {"README.md": readme})
    ctx.run = SimpleNamespace(stdout="forest f1: 0.6031 auc: 0.8512\n", stderr="", succeeded=True, output_dir=None)
    ev = ReadmeClaims()(ctx)
    assert (ev.metrics["claims"], ev.metrics["reproduced"], ev.metrics["unreproduced"]) == (3, 2, 1)
    assert ev.locations[0].line == 5 and "0.621" in ev.locations[0].snippet
    ctx.run = SimpleNamespace(stdout="", stderr="Traceback", succeeded=False, output_dir=None)
    assert ReadmeClaims()(ctx).status == NOT_APPLICABLE  # a failed run cannot confirm or refute a claim


SELECT_ON_ACCURACY = '''
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV


def compare(models, X, y, Xv, yv):
    results = {}
    for name, model in models.items():
        pred = model.fit(X, y).predict(Xv)
        acc = accuracy_score(yv, pred)
        print(name, acc, f1_score(yv, pred))
        results[name] = acc
    return max(results, key=results.get)


def tune(model, grid, X, y):
    return GridSearchCV(model, grid, cv=3, scoring="accuracy").fit(X, y)
'''
SELECT_ON_F1 = '''
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV


def compare(models, X, y, Xv, yv):
    best, best_f1 = None, -1.0
    for name, model in models.items():
        pred = model.fit(X, y).predict(Xv)
        f1 = f1_score(yv, pred)
        print(name, "accuracy", accuracy_score(yv, pred), "f1", f1)
        if f1 > best_f1:
            best, best_f1 = name, f1
    return best


def tune(model, grid, X, y):
    return GridSearchCV(model, grid, cv=3, scoring="f1").fit(X, y)
'''


def test_accuracy_that_picks_the_winner_is_found_where_it_decides(tmp_path):
    from checks.metrics import EvaluationMetrics

    ev = EvaluationMetrics()(make(tmp_path, {"src/train.py": SELECT_ON_ACCURACY}))
    assert ev.metrics["imbalance_aware"] is True  # F1 is printed ...
    assert ev.metrics["accuracy_selection"] == 2  # ... but accuracy picks the model and scores the search
    decided = sorted(loc.line for loc in ev.locations if loc.snippet.startswith("accuracy decides"))
    assert decided == [13, 17]


def test_f1_that_picks_the_winner_is_not_accuracy_selection(tmp_path):
    from checks.metrics import EvaluationMetrics

    ev = EvaluationMetrics()(make(tmp_path, {"src/train.py": SELECT_ON_F1}))
    assert ev.metrics["accuracy_selection"] == 0 and ev.metrics["imbalance_aware"] is True


def test_a_config_naming_accuracy_as_the_selection_metric_counts(tmp_path):
    from checks.metrics import EvaluationMetrics

    files = {"src/train.py": SELECT_ON_F1, "config.yaml": "model:\n  scoring: accuracy\n  cv: 5\n"}
    ev = EvaluationMetrics()(make(tmp_path, files))
    assert ev.metrics["accuracy_selection"] == 1
    assert any(loc.path == "config.yaml" and loc.line == 2 for loc in ev.locations)


def test_class_weights_resampling_or_a_config_key_handle_the_imbalance(tmp_path):
    plain = PIPELINE.format(model="RandomForestClassifier")
    bare = "model = RandomForestClassifier()"

    def handled(name: str, files: dict[str, str]) -> bool:
        return ModellingPractices()(make(tmp_path / name, files)).metrics["imbalance_handled"]

    assert handled("a", {"src/train.py": plain}) is False
    balanced = plain.replace(bare, "model = RandomForestClassifier(class_weight='balanced')")
    assert handled("b", {"src/train.py": balanced}) is True
    assert not handled("c", {"src/train.py": plain.replace(bare, "model = RandomForestClassifier(class_weight=None)")})
    assert handled("d", {"src/train.py": plain.replace("LOG.info(", "X = SMOTE().fit_resample(1, 2)\n    LOG.info(")})
    assert handled("e", {"src/train.py": plain, "config.yaml": "model:\n  class_weight: balanced\n"})
    assert not handled("f", {"src/train.py": plain, "config.yaml": "model:\n  class_weight: null\n"})


def test_findings_read_off_the_data_are_counted_and_generic_remarks_are_not(tmp_path):
    from checks.eda import WrittenInsights

    nb = notebook(("md", "Clients with Previous Contact Days under 30 subscribe at 64% against 9% for the rest. "
                         "Housing Loan barely matters (11.2% vs 11.5%)."),
                  ("md", "The data has some problems. Campaign Calls needs cleaning."),
                  ("md", "Accuracy is 0.89 overall."))
    ev = WrittenInsights()(make(tmp_path, {"eda.ipynb": nb}))
    assert ev.metrics["quantified_findings"] == 2
    assert sum(loc.snippet.startswith("finding: ") for loc in ev.locations) == 2


def test_a_plotted_interaction_is_counted_and_a_correlation_heatmap_is_not(tmp_path):
    nb = notebook(("code", "t = df.pivot_table(index='hour', columns='weather', values='late')\nsns.heatmap(t)"),
                  ("code", "sns.barplot(data=df, x='Housing Loan', y='Subscription Status', hue='Campaign Calls')"),
                  ("code", "sns.heatmap(df.corr())"),
                  ("code", "sns.countplot(data=df, x='Housing Loan', hue='Subscription Status')"),
                  ("code", "df.groupby(['a', 'b'])['y'].mean()"),  # a two-way table, but nothing plotted
                  image_after=(0, 1, 2, 3))
    ev = EdaDepth()(make(tmp_path, {"eda.ipynb": nb}))
    assert ev.metrics["plot_cells"] == 4
    assert ev.metrics["interaction_plots"] == 2
    assert [loc.line for loc in ev.locations if loc.snippet == "interaction plot"] == [1, 2]  # cells count from 1


def test_a_findings_table_with_a_decision_column_counts_its_rows_that_name_a_column(tmp_path):
    table = ("## Summary\n\n| # | Finding | Decision in the pipeline |\n|---|---|---|\n"
             "| 1 | 999 in Previous Contact Days means never contacted | flag `never_contacted` |\n"
             "| 2 | Campaign Calls has negative values | absolute value |\n"
             "| 3 | 11% positive class | F1 and a stratified split |\n")
    other = "| Column | Mean |\n|---|---|\n| Campaign Calls | 2.5 |\n"  # a table of numbers, no decision column
    ctx = make(tmp_path, {"eda.ipynb": notebook(("md", table), ("md", other)),
                          "src/train.py": PIPELINE.format(model="RandomForestClassifier")})
    ev = EdaToPipeline()(ctx)
    assert ev.metrics["decision_rows"] == 2  # row 3 names no column; the second table has no decision column
    assert ev.metrics["decisions_mapped"] == 0  # the rows are counted apart from written statements


def test_training_cleaning_written_again_for_inference_is_a_copy(tmp_path):
    train = ("def clean(df):\n    df['Age'] = df['Age'].str.replace(' years', '').astype(float)\n"
             "    df['Contact Method'] = df['Contact Method'].replace({'Cell': 'cellular'})\n    return df\n")
    predict = ("import pandas as pd\n\n\ndef predict_holdout(model, hold):\n"
               "    hold['Age'] = hold['Age'].str.replace('years', '').astype(float)\n"  # drifted, still a copy
               "    return model.predict(hold)\n")
    shared = ("from src.clean import clean\n\n\ndef predict_holdout(model, hold):\n"
              "    return model.predict(clean(hold))\n")
    copied = InferenceCopies()(make(tmp_path / "a", {"src/clean.py": train, "src/predict.py": predict}))
    assert copied.status == OK and copied.metrics["inference_copies"] == 1
    assert {loc.path for loc in copied.locations} == {"src/clean.py", "src/predict.py"}
    reused = InferenceCopies()(make(tmp_path / "b", {"src/clean.py": train, "src/predict.py": shared}))
    assert reused.metrics["inference_copies"] == 0


def test_the_same_step_in_two_training_functions_is_not_an_inference_copy(tmp_path):
    code = ("def clean(df):\n    df['Age'] = df['Age'].astype(float)\n    return df\n\n\n"
            "def features(df):\n    df['Age'] = df['Age'].astype(float)\n    return df\n")
    ev = InferenceCopies()(make(tmp_path, {"src/prep.py": code}))
    assert ev.metrics["inference_copies"] == 0


def test_whole_frame_dropna_and_a_per_column_iqr_loop_are_crude_cleaning(tmp_path):
    crude = ("def clean(df, cols):\n    df = df.dropna().reset_index(drop=True)\n    for col in cols:\n"
             "        q1, q3 = df[col].quantile([0.25, 0.75])\n"
             "        df[col] = df[col].clip(q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))\n    return df\n")
    careful = ("def clean(df):\n    df = df.dropna(subset=['Subscription Status'])\n"
               "    df.loc[df['Campaign Calls'] < 0, 'Campaign Calls'] = None\n"
               "    labels = set(df['Housing Loan'].dropna().unique())\n"
               "    upper = df['Campaign Calls'].quantile(0.99)\n    return df, labels, upper\n")
    found = CrudeCleaning()(make(tmp_path / "a", {"src/clean.py": crude}))
    assert found.metrics == {"drops_incomplete_rows": 1, "blanket_clipping": 1}
    assert [loc.line for loc in found.locations] == [2, 4]
    fine = CrudeCleaning()(make(tmp_path / "b", {"src/clean.py": careful}))
    assert fine.metrics == {"drops_incomplete_rows": 0, "blanket_clipping": 0}


def test_a_choice_made_with_the_test_split_is_found_and_cross_validation_results_are_not(tmp_path):
    code = ("def choose(results, y_test, proba, search, best_score):\n"
            "    thr = tune_threshold(y_test, proba)\n"
            "    if test_f1 > best_score:\n"
            "        best_score = test_f1\n"
            "    ranked = sorted(results, key=lambda r: r['val_f1'])\n"
            "    top = search.cv_results_['rank_test_score'].argmin()\n"
            "    report = evaluate(y_test, proba >= thr)\n"  # reporting on the test split is not a choice
            "    return thr, ranked, top, report\n")
    ev = SelectionOnTest()(make(tmp_path, {"src/train.py": code}))
    assert ev.metrics["test_selection_sites"] == 2
    assert [loc.line for loc in ev.locations] == [2, 3]


def test_a_blanket_except_that_goes_on_is_token_handling_and_a_failing_exit_is_not(tmp_path):
    code = ("import sys\n\n\ndef load(path):\n"
            "    try:\n        return read(path)\n    except:\n"
            "        print('could not read')\n        return None\n\n\n"
            "def main():\n"
            "    try:\n        run()\n    except Exception as exc:\n        print(exc)\n        exit()\n"  # exits 0
            "    try:\n        run()\n    except Exception as exc:\n        print(exc)\n        sys.exit(1)\n"
            "    try:\n        run()\n    except Exception:\n        raise\n")
    ev = ExceptionHandling()(make(tmp_path, {"src/main.py": code}))
    assert ev.metrics["broad_kept_going"] == 2 and ev.metrics["swallowing_handlers"] == 0
    assert [loc.line for loc in ev.locations if loc.snippet.startswith("caught and went on")] == [7, 15]
