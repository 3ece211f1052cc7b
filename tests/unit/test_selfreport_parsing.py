"""Rerun mode (issue 14 item 5): the self-reported metrics come from the final evaluation's one block, in any
of the shapes real pipelines print them; a too-good score is flagged and capped; HLD001's wording is honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.base import NOT_APPLICABLE, OK
from checks.context import CheckContext
from checks.heldout import HeldoutPredictions
from checks.selfreport import SelfReportedMetrics, implausible, parse_reported_metrics
from sandbox.base import RunResult

CV_THEN_REPORT = """\
Loading data from data/train.db
rows: 10000
Fitting 5 folds for each of 12 candidates, totalling 60 fits
Best params: {'C': 1.0, 'class_weight': 'balanced'}
Best CV F1: 0.8200
GridSearchCV best score 0.81
Cross-validated accuracy: 0.79 (+/- 0.02)
Train accuracy: 0.97, Test accuracy: 0.8350
              precision    recall  f1-score   support

           0       0.90      0.85      0.87      2000
           1       0.57      0.76      0.65       345

    accuracy                           0.84      2345
   macro avg       0.74      0.80      0.76      2345
weighted avg       0.85      0.84      0.84      2345
"""

TWO_MODELS_THEN_FINAL = """\
=== LogisticRegression ===
Accuracy: 0.8012
F1: 0.5500
ROC AUC: 0.8100
=== RandomForest ===
Accuracy: 0.8600
F1: 0.6200
=== Best model: RandomForest (test set) ===
Test F1: 0.6310
Test precision: 0.6000
"""

THREE_CLASSES = """\
Training LogisticRegression...
Classification report on the training set:
                   precision    recall  f1-score   support

    High Activity       0.99      0.98      0.98      1200
     Low Activity       0.97      0.99      0.98      2000
Moderate Activity       0.96      0.95      0.95       800

         accuracy                           0.98      4000
        macro avg       0.97      0.97      0.97      4000
     weighted avg       0.98      0.98      0.98      4000

Classification report on the test set:
                   precision    recall  f1-score   support

    High Activity       0.70      0.65      0.67       300
     Low Activity       0.80      0.85      0.82       500
Moderate Activity       0.60      0.58      0.59       200

         accuracy                           0.74      1000
        macro avg       0.70      0.69      0.69      1000
     weighted avg       0.74      0.74      0.74      1000
"""

REGRESSION = """\
Training GradientBoostingRegressor...
Train RMSE: 0.41
5-fold CV R2: 0.80
Test set results:
Root Mean Squared Error: 1.23
MAE = 0.9
R² score: 0.71
Mean Squared Error: 1.5129
"""


def _lines(reported) -> list[int]:
    return [number for number, _ in reported.lines]


def test_cv_and_search_lines_before_the_final_report_are_ignored():
    reported = parse_reported_metrics(CV_THEN_REPORT)
    assert reported.values == {"accuracy": 0.835, "f1": 0.65, "precision": 0.57, "recall": 0.76,
                               "macro_f1": 0.76, "macro_precision": 0.74, "macro_recall": 0.8,
                               "weighted_f1": 0.84, "weighted_precision": 0.85, "weighted_recall": 0.84}
    assert _lines(reported) == [8, 9, 11, 12, 14, 15, 16]  # the test accuracy line, then the report
    assert [number for number, _ in reported.ignored] == [5, 7, 8]  # best CV F1, CV accuracy, train accuracy
    assert reported.per_class_recall == {"0": 0.85, "1": 0.76}


def test_the_final_models_block_is_used_whole_never_mixed_with_another_models():
    reported = parse_reported_metrics(TWO_MODELS_THEN_FINAL)
    assert reported.values == {"f1": 0.631, "precision": 0.6}  # no accuracy or AUC borrowed from other blocks
    assert reported.block == "Best model: RandomForest (test set)"
    assert _lines(reported) == [9, 10]


def test_a_final_heading_without_scores_points_at_that_models_block():
    log = TWO_MODELS_THEN_FINAL.split("=== Best")[0] + "=== LogisticRegression (again) ===\nF1: 0.5400\n" \
        "Selected model: RandomForest\nSaved to output/model.pkl\n"
    reported = parse_reported_metrics(log)
    assert reported.values == {"accuracy": 0.86, "f1": 0.62}
    assert reported.block == "RandomForest" and _lines(reported) == [6, 7]


def test_without_headings_the_last_of_two_printed_models_is_taken():
    log = ("LogisticRegression accuracy: 0.80, f1: 0.55\nRandomForestClassifier accuracy: 0.86, f1: 0.62\n"
           "done in 12.3 s\n")
    reported = parse_reported_metrics(log)
    assert reported.values == {"accuracy": 0.86, "f1": 0.62} and _lines(reported) == [2]


def test_a_comparison_table_gives_one_block_per_model_and_the_best_models_row_is_used():
    log = ("Comparison on the test set:\n"
           "                model  cv_f1  test_accuracy  test_f1  test_roc_auc\n"
           "0  LogisticRegression   0.60           0.80     0.55          0.81\n"
           "1        RandomForest   0.66           0.86     0.62          0.88\n"
           "2             XGBoost   0.64           0.85     0.61          0.87\n"
           "Best model: RandomForest\n")
    reported = parse_reported_metrics(log)
    assert reported.values == {"accuracy": 0.86, "f1": 0.62, "roc_auc": 0.88}  # cv_f1 0.66 is not the test F1
    assert reported.block == "RandomForest" and _lines(reported) == [4]
    last_row = parse_reported_metrics(log.replace("Best model: RandomForest\n", ""))
    assert last_row.values == {"accuracy": 0.85, "f1": 0.61, "roc_auc": 0.87} and _lines(last_row) == [5]


def test_a_three_class_report_with_spaced_labels_gives_macro_weighted_accuracy_and_recall_per_class():
    reported = parse_reported_metrics(THREE_CLASSES)
    assert reported.values == {"macro_f1": 0.69, "macro_precision": 0.7, "macro_recall": 0.69,
                               "weighted_f1": 0.74, "weighted_precision": 0.74, "weighted_recall": 0.74,
                               "accuracy": 0.74}
    assert "f1" not in reported.values  # no positive class in a 3-class report
    assert reported.per_class_recall == {"High Activity": 0.65, "Low Activity": 0.85, "Moderate Activity": 0.58}
    assert _lines(reported)[0] == 14 and _lines(reported)[-1] == 22  # the test report, not the training one
    assert reported.block == "Classification report on the test set:"


def test_a_binary_report_uses_the_packs_positive_label_else_the_minority_class():
    log = ("              precision    recall  f1-score   support\n\n"
           "     stayed a       0.90      0.85      0.87      2000\n"
           "    switched       0.57      0.76      0.65       345\n")
    assert parse_reported_metrics(log).values["f1"] == 0.65  # minority class
    assert parse_reported_metrics(log, positive=("stayed a",)).values["f1"] == 0.87


def test_regression_metrics_in_their_common_spellings():
    reported = parse_reported_metrics(REGRESSION)
    assert reported.values == {"rmse": 1.23, "mae": 0.9, "r2": 0.71, "mse": 1.5129}
    assert reported.block == "Test set results:" and _lines(reported) == [5, 6, 7, 8]
    assert [number for number, _ in reported.ignored] == [2, 3]
    other = parse_reported_metrics("RMSE: 1.23\nMAE = 0.9\nR^2: -0.12\nr2_score and MSE follow\nMSE: 2.3\n")
    assert other.values == {"rmse": 1.23, "mae": 0.9, "r2": -0.12, "mse": 2.3}


def test_percentages_are_read_as_fractions():
    reported = parse_reported_metrics("Accuracy: 85.3%\nF1 score: 61.2 %\nPrecision: 58%\nRecall = 64.5%\n"
                                      "ROC AUC 0.87\n")
    assert reported.values == {"accuracy": 0.853, "f1": 0.612, "precision": 0.58, "recall": 0.645, "roc_auc": 0.87}


def test_validation_scores_count_only_when_no_test_score_was_printed():
    assert parse_reported_metrics("Validation F1: 0.70\nTest F1: 0.61\n").values == {"f1": 0.61}
    assert parse_reported_metrics("Validation F1: 0.70\n").values == {"f1": 0.7}
    keras = "Epoch 3/10 - loss: 0.41 - accuracy: 0.81 - val_accuracy: 0.80\n"
    assert parse_reported_metrics(keras).values == {}


def test_a_log_without_metrics_reports_nothing():
    reported = parse_reported_metrics("Loading data\nrows: 10000\nsaved output/model.pkl\n")
    assert not reported and reported.values == {} and reported.lines == [] and reported.block == ""


def _run(stdout: str) -> RunResult:
    return RunResult(backend="test", label="pipeline", command=("bash", "run.sh"), status="completed", exit_code=0,
                     duration_s=1.0, stdout=stdout)


def _ctx(run: RunResult | None, mode: str = "rerun", reference: dict | None = None) -> CheckContext:
    return CheckContext(root=Path("."), python_files=[], notebooks=[], readme=None, run_script="run.sh",
                        requirement_files=[], run=run,
                        settings={"heldout_mode": mode, "primary_metric": "f1", "reference": reference or {}})


def test_a_perfect_score_against_a_weak_reference_is_flagged_and_capped_below_level_3():
    from checks import CATALOGUE
    from checks.base import Evidence
    from grader.rubric import load_rubric, score_line

    log = "=== Final model: RandomForest ===\nTest F1: 1.000\nTest accuracy: 1.000\n"
    evidence = SelfReportedMetrics()(_ctx(_run(log), reference={"f1": 0.37}))
    assert evidence.status == OK
    assert evidence.metrics["implausible"] is True and evidence.metrics["reported_f1"] == 1.0
    assert evidence.metrics["ratio_to_reference"] == pytest.approx(2.703)
    assert "implausible: possible leakage or evaluation on training data" in evidence.summary
    assert any(f.startswith("implausible") and "0.63 above" in f for f in evidence.findings)
    assert evidence.data["lines"] == [{"line": 2, "text": "Test F1: 1.000"},
                                      {"line": 3, "text": "Test accuracy: 1.000"}]

    line = load_rubric(known_codes={c.code for c in CATALOGUE}).line("model.training")
    models = Evidence("MOD001", "x", (), OK, "", metrics={"models": 3})
    reasons = Evidence("JUS001", "x", (), OK, "", metrics={"model": 2})
    weighted = Evidence("MOD002", "x", (), OK, "", metrics={"imbalance_handled": True, "threshold_analysis": False})
    found = {"HLD002": evidence, "MOD001": models, "JUS001": reasons, "MOD002": weighted}
    result = score_line(line, found, 1.0)
    assert result.level == 2 and "implausible" in result.reason
    evidence.metrics["implausible"] = False  # the same score, were it plausible, reaches level 3
    assert score_line(line, found, 1.0).level == 3


def test_a_plausible_score_is_not_flagged():
    evidence = SelfReportedMetrics()(_ctx(_run("Test F1: 0.61\n"), reference={"f1": 0.64}))
    assert evidence.metrics["implausible"] is False and evidence.metrics["ratio_to_reference"] == 0.953
    assert implausible({"f1": 0.95}, {"f1": 0.64}, "f1") == ["f1 0.950 is 0.31 above the reference pipeline's 0.640"]
    assert implausible({"accuracy": 0.995}, {"accuracy": 0.99}, "f1") == []  # a reference that high is not weak
    assert implausible({"rmse": 0.4}, {"rmse": 1.2}, "rmse") == [
        "rmse 0.400 is under half the reference pipeline's 1.200"]


def test_heldout_wording_in_rerun_mode_says_whether_the_pipeline_ran():
    ran = HeldoutPredictions()(_ctx(_run("Test F1: 0.61\n")))
    assert ran.status == NOT_APPLICABLE
    assert "pipeline not run" not in ran.summary
    assert "rerun mode" in ran.summary and "no predictions contract" in ran.summary and "HLD002" in ran.summary
    not_run = HeldoutPredictions()(_ctx(None))
    assert "rerun mode" in not_run.summary and "the pipeline was not run" in not_run.summary
    predictions_not_run = HeldoutPredictions()(_ctx(None, mode="predictions"))
    assert predictions_not_run.summary == "no held-out predictions to score (pipeline not run)"


def test_a_huge_line_is_skipped_not_parsed():
    log = "== a" + " " * 200_000 + "x\nTest F1: 0.61\n" + "F1 " + "9" * 50_000 + "\n"
    reported = parse_reported_metrics(log)
    assert reported.values == {"f1": 0.61} and _lines(reported) == [2]


# ---------------------------------------------------------------- every task type (issue 15 item 2)
YES_NO_REPORT = """\
Test set:
              precision    recall  f1-score   support

          no       0.91      0.88      0.89      1500
         yes       0.52      0.61      0.56       400

    accuracy                           0.83      1900
   macro avg       0.72      0.74      0.73      1900
weighted avg       0.83      0.83      0.83      1900
"""

FOUR_CLASSES = """\
=== Final model: HistGradientBoosting ===
              precision    recall  f1-score   support

           A       0.81      0.90      0.85       400
           B       0.55      0.48      0.51       250
           C       0.40      0.35      0.37       150
           D       0.66      0.70      0.68       200

    accuracy                           0.67      1000
   macro avg       0.61      0.61      0.60      1000
weighted avg       0.66      0.67      0.66      1000

Balanced accuracy: 0.6075
"""


def test_a_binary_report_with_text_labels_takes_the_packs_positive_row():
    reported = parse_reported_metrics(YES_NO_REPORT, positive=("yes",))
    assert (reported.values["f1"], reported.values["precision"], reported.values["recall"]) == (0.56, 0.52, 0.61)
    assert reported.values["macro_f1"] == 0.73 and reported.values["accuracy"] == 0.83
    assert parse_reported_metrics(YES_NO_REPORT, positive=("no",)).values["f1"] == 0.89


def test_a_multiclass_report_gives_macro_f1_balanced_accuracy_and_recall_per_class():
    reported = parse_reported_metrics(FOUR_CLASSES)
    assert reported.values["macro_f1"] == 0.6 and reported.values["weighted_f1"] == 0.66
    assert reported.values["balanced_accuracy"] == 0.6075 and reported.values["accuracy"] == 0.67
    assert reported.per_class_recall == {"A": 0.9, "B": 0.48, "C": 0.35, "D": 0.7}
    assert "f1" not in reported.values
    assert reported.block == "Final model: HistGradientBoosting"


@pytest.mark.parametrize(("line", "expected"), [
    ("Macro F1: 0.55", {"macro_f1": 0.55}),
    ("f1_macro = 0.55", {"macro_f1": 0.55}),
    ("F1 (macro): 0.551", {"macro_f1": 0.551}),
    ("Weighted F1 = 0.6", {"weighted_f1": 0.6}),
    ("Balanced accuracy: 0.61", {"balanced_accuracy": 0.61}),
    ("PR AUC: 0.41", {"pr_auc": 0.41}),
    ("Average precision: 0.45", {"pr_auc": 0.45}),
    ("RMSE: 1.23", {"rmse": 1.23}),
    ("Test RMSE = 1.2", {"rmse": 1.2}),
    ("MAE 0.9", {"mae": 0.9}),
    ("R2: 0.81", {"r2": 0.81}),
    ("R^2 score: 0.81", {"r2": 0.81}),
    ("r2_score 0.81", {"r2": 0.81}),
    ("MSE: 2.25", {"mse": 2.25, "rmse": 1.5}),
    ("Test MSE: 2.25, Test RMSE: 1.6", {"mse": 2.25, "rmse": 1.6}),
])
def test_metric_lines_of_every_task_type(line, expected):
    assert parse_reported_metrics(line).values == expected


def test_rmse_is_derived_from_mse_only_when_no_rmse_was_printed():
    derived = parse_reported_metrics("Test MSE: 2.25\nTest MAE: 1.1\n")
    assert derived.values["rmse"] == 1.5 and "rmse" in derived.derived
    printed = parse_reported_metrics("Test MSE: 2.25\nTest RMSE: 1.7\n")
    assert printed.values["rmse"] == 1.7 and printed.derived == {}


def test_implausible_is_direction_aware_for_errors_and_r2():
    assert implausible({"rmse": 0.5}, {"rmse": 1.2}, "rmse") == ["rmse 0.500 is under half the reference pipeline's "
                                                                 "1.200"]
    assert implausible({"rmse": 2.5}, {"rmse": 1.2}, "rmse") == []  # far worse is weak, not suspicious
    assert implausible({"rmse": 0.0}, {}, "rmse") == ["rmse 0.000 is a perfect fit (zero error)"]
    assert implausible({"r2": 0.995}, {"rmse": 1.2}, "rmse") == ["r2 0.995 is near perfect"]
    assert implausible({"r2": 0.7}, {"r2": 0.68}, "rmse") == []
    assert implausible({"macro_f1": 0.9}, {"macro_f1": 0.55}, "macro_f1") == [
        "macro_f1 0.900 is 0.35 above the reference pipeline's 0.550"]


def _rerun_ctx(stdout: str, primary: str, reference: dict, task: str = "") -> CheckContext:
    return CheckContext(root=Path("."), python_files=[], notebooks=[], readme=None, run_script="run.sh",
                        requirement_files=[], run=_run(stdout),
                        settings={"heldout_mode": "rerun", "primary_metric": primary, "reference": reference,
                                  "task": task})


def test_hld002_compares_the_packs_primary_metric_in_its_own_direction():
    regression = SelfReportedMetrics()(_rerun_ctx(REGRESSION, "rmse", {"rmse": 1.5}))
    assert regression.metrics["reported_rmse"] == 1.23
    assert regression.metrics["ratio_to_reference"] == pytest.approx(1.5 / 1.23, abs=1e-3)  # > 1: better
    assert regression.metrics["implausible"] is False
    leaky = SelfReportedMetrics()(_rerun_ctx("Test RMSE: 0.3\nTest R2: 0.999\n", "rmse", {"rmse": 1.5}))
    assert leaky.metrics["implausible"] is True and leaky.metrics["ratio_to_reference"] == 5.0
    multi = SelfReportedMetrics()(_rerun_ctx(FOUR_CLASSES, "", {"macro_f1": 0.62}, task="multiclass"))
    assert multi.data["primary_metric"] == "macro_f1"
    assert multi.metrics["ratio_to_reference"] == pytest.approx(0.968, abs=1e-3)
    assert multi.metrics["reported_balanced_accuracy"] == 0.6075


def test_hld002_a_stand_in_and_a_derived_metric_are_said():
    stand_in = SelfReportedMetrics()(_rerun_ctx("Test weighted F1: 0.61\n", "macro_f1", {"macro_f1": 0.6}))
    assert any("macro_f1 was not printed; weighted_f1 stands in" in f for f in stand_in.findings)
    derived = SelfReportedMetrics()(_rerun_ctx("Test MSE: 4.0\n", "rmse", {"rmse": 2.2}))
    assert derived.metrics["reported_rmse"] == 2.0
    assert any(f.startswith("rmse is derived") for f in derived.findings)


def test_hld002_reads_report_rows_through_the_packs_labels_map():
    log = YES_NO_REPORT.replace("          no", "           N").replace("         yes", "           Y")
    ctx = _rerun_ctx(log, "f1", {"f1": 0.5})
    ctx.settings.update(positive_label="yes", labels_map={"Y": "yes", "N": "no"})
    evidence = SelfReportedMetrics()(ctx)
    assert evidence.metrics["reported_f1"] == 0.56  # the Y row
    assert evidence.data["per_class_recall"] == {"no": 0.88, "yes": 0.61}
    ctx.settings.update(positive_label="no", labels_map={"Y": "yes", "N": "no"})
    assert SelfReportedMetrics()(ctx).metrics["reported_f1"] == 0.89  # the N row: the pack's positive class


def test_a_rerun_on_a_resample_of_the_round_file_is_called_seen_data():
    ctx = _ctx(_run("Test F1: 0.61\n"), reference={"f1": 0.64})
    unseen = SelfReportedMetrics()(ctx)
    assert "never saw" in unseen.summary and unseen.metrics["seen_data"] is False
    ctx.settings["seen_data"] = True
    seen = SelfReportedMetrics()(ctx)
    assert "seen data" in seen.summary and "never saw" not in seen.summary and seen.metrics["seen_data"] is True


PHISHING_LOG = """\
random_forest: best CV f1 = 0.8529 with {'clf__max_depth': 10}

Best model on CV: random_forest

                precision    recall  f1-score   support

  phishing (0)     0.7789    0.8245    0.8010       188
legitimate (1)     0.8500    0.8095    0.8293       231

      accuracy                         0.8162       419
     macro avg     0.8144    0.8170    0.8152       419
  weighted avg     0.8181    0.8162    0.8166       419

F1 (positive class 1 = legitimate): 0.8293
ROC AUC: 0.8861
"""


def test_a_best_model_heading_that_names_cv_still_opens_the_final_evaluation():
    reported = parse_reported_metrics(PHISHING_LOG, ("1",))
    assert reported.values["f1"] == 0.8293 and reported.values["roc_auc"] == 0.8861
    assert all("0.8529" not in text for _, text in reported.lines)  # the CV score stays ignored


def test_the_positive_row_answers_to_the_label_in_its_brackets():
    from checks.selfreport import positive_class

    rows = {"phishing (0)": (0.78, 0.82, 0.80, 188.0), "legitimate (1)": (0.85, 0.81, 0.83, 231.0)}
    assert positive_class(rows, ("1",)) == "legitimate (1)"
    assert positive_class(rows, ("0",)) == "phishing (0)"


def test_a_number_in_brackets_after_the_metric_name_is_not_its_value():
    from checks.selfreport import inline_metrics

    assert inline_metrics("F1 (PurchaseCompleted=1): 0.6562") == [("f1", 0.6562, "")]
    assert inline_metrics("Best model: Random Forest (f1 = 0.3244)") == [("f1", 0.3244, "")]
