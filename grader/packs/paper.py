"""The candidate-facing paper, drafted from the pack's facts for staff to edit (jinja2 file paper.md.j2)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from grader.packs.source import SourceTable, quote

TASK_SENTENCES = {
    "binary": "a binary classification; the positive class is `{target} = {positive}`.",
    "multiclass": "a classification into {count} classes ({classes}).",
    "regression": "a regression: predict the value of `{target}`.",
}
METRIC_SENTENCES = {
    "binary": "the **F1 score of the positive class** (`{target} = {positive}`); precision, recall, ROC AUC and "
              "PR AUC (when probabilities are given) and accuracy are also reported",
    "multiclass": "the **macro-averaged F1 score** over the classes; balanced accuracy, accuracy and each class's "
                  "recall are also reported",
    "regression": "the **root mean squared error (RMSE)**; MAE and R² are also reported",
}


def _examples(db: Path, table: str, column: str, limit: int = 3) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(f"SELECT DISTINCT {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL "
                            f"LIMIT {limit}").fetchall()
    shown = ", ".join(f"`{str(r[0])[:30]}`" for r in rows)
    return shown.replace("|", "\\|") or "(empty)"


def draft_paper(document: dict, source: SourceTable) -> str:
    """The paper's markdown: the round's table, the task, the rules, the predictions contract, the limits."""
    dataset, heldout, facts = document["dataset"], document["heldout"], document.get("facts", {})
    task, target = document["task"], dataset["target"]
    classes = dataset.get("classes", [])
    fill = {"target": target, "positive": dataset.get("positive_label"), "count": len(classes),
            "classes": ", ".join(f"`{c}`" for c in classes)}
    columns = [{"name": name, "type": kind or "(none)", "examples": _examples(source.db, source.table, name)}
               for name, kind in source.columns]
    limits, rules = document.get("limits", {}), document.get("rules", {})
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=False, keep_trailing_newline=True)
    return env.get_template("paper.md.j2").render(
        title=document["title"], target=target, task=task, table=source.table, dataset_file=dataset["file"],
        rows_train=facts.get("rows_train", source.rows), columns=columns,
        task_sentence=TASK_SENTENCES[task].format(**fill), metric_sentence=METRIC_SENTENCES[task].format(**fill),
        predictions="predictions" in heldout.get("modes", []), mount_as=heldout.get("mount_as", "holdout.db"),
        predictions_path=heldout.get("predictions"), id_column=dataset.get("id_column"),
        prediction_values=_prediction_values(task, classes, fill),
        positive=dataset.get("positive_label"), min_models=rules.get("min_models", 2),
        memory_gb=round(limits.get("memory_mb", 2048) / 1024, 1), minutes=round(limits.get("timeout_s", 1200) / 60),
        pass_pct=document.get("pass_rule", {}).get("min_total_pct", 50),
    )


def _prediction_values(task: str, classes: list[str], fill: dict) -> str:
    if task == "regression":
        return "the predicted value (a number)"
    return "the predicted class, one of " + fill["classes"]
