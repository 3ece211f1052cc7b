"""`grader pack new`: packs for any table and task, clear errors for bad input, the mock built the same way."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grader.cli import main
from grader.packs import load_pack
from grader.packs.mock.generate import write_round_file
from grader.packs.validate import pack_problems


def make_db(path: Path, frame: pd.DataFrame, table: str = "round data", types: dict | None = None) -> Path:
    """A SQLite file with one table declared column by column (names quoted: spaces are normal)."""
    types = types or {}
    q = lambda n: '"' + n.replace('"', '""') + '"'  # noqa: E731
    with sqlite3.connect(path) as conn:
        cols = ", ".join(f"{q(c)} {types.get(c, 'TEXT' if frame[c].dtype == object else 'REAL')}" for c in frame)
        conn.execute(f"CREATE TABLE {q(table)} ({cols})")
        conn.executemany(f"INSERT INTO {q(table)} VALUES ({', '.join('?' * frame.shape[1])})",
                         [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)])
    return path


def binary_frame(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({
        "Client ID": [f"C{i:05d}" for i in range(n)],
        "Age": [f"{int(a)} years" for a in rng.integers(18, 80, n)],
        "Contact Method": rng.choice(["Cell", "cellular", "Telephone", "telephone"], n),
        "Balance (SGD)": x * 100,
        "Subscription Status": np.where(x + rng.normal(scale=0.8, size=n) > 1.0, "yes", "no"),
    })


def run_new(args: list[str], capsys) -> tuple[int, str]:
    code = main(["pack", "new", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_binary_text_labels_table_with_spaces(tmp_path, capsys):
    db = make_db(tmp_path / "bank.db", binary_frame())
    code, out = run_new([str(db), "--target", "Subscription Status", "--mode", "both", "--out",
                         str(tmp_path / "pack")], capsys)
    assert code == 0, out
    assert "task inferred: binary" in out and "positive class: 'yes'" in out and "Client ID" in out
    pack = load_pack(tmp_path / "pack")
    assert (pack.task, pack.positive_label, pack.id_column, pack.table) == ("binary", "yes", "Client ID", "round data")
    assert pack.modes == ("predictions", "rerun") and pack.reference["f1"] > 0
    labels = pd.read_csv(pack.labels, dtype=str)
    assert set(labels["Subscription Status"]) == {"yes", "no"} and len(labels) == 80
    with sqlite3.connect(pack.train_db) as conn:
        train = pd.read_sql_query('SELECT * FROM "round data"', conn)
        declared = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'round data'").fetchone()[0]
    with sqlite3.connect(db) as conn:
        assert declared == conn.execute("SELECT sql FROM sqlite_master").fetchone()[0]
    assert len(train) == 320 and not set(train["Client ID"]) & set(labels["Client ID"])
    assert train["Age"].str.endswith(" years").all()  # the dirt stays as candidates received it
    rerun = load_pack(tmp_path / "pack", "rerun")
    assert rerun.reference and rerun.reference != pack.reference
    assert pack_problems(tmp_path / "pack") == []
    paper = pack.paper.read_text()
    assert "`data/bank.db`" in paper and "`Subscription Status`" in paper and "predictions.csv" in paper


def test_multiclass_spellings_are_mapped_and_fresh_sample_keeps_them(tmp_path, capsys):
    rng = np.random.default_rng(3)
    n = 600
    level = rng.choice(["Low", "Moderate", "High"], n, p=[0.55, 0.3, 0.15])
    spelled = [{"Low": rng.choice(["Low Activity", "LowActivity", "Low_Activity"]),
                "Moderate": rng.choice(["Moderate Activity", "ModerateActivity"]), "High": "High Activity"}[v]
               for v in level]
    frame = pd.DataFrame({"Session ID": rng.integers(0, 30, n).astype(float), "Temperature": rng.normal(25, 3, n),
                          "Activity Level": spelled})
    db = make_db(tmp_path / "gas.db", frame, table="gas_monitoring")
    code, out = run_new([str(db), "--target", "Activity Level", "--group", "Session ID", "--mode", "both",
                         "--out", str(tmp_path / "pack")], capsys)
    assert code == 0, out
    assert "task inferred: multiclass" in out and "6 spellings -> 3 classes" in out and "row_id" in out
    pack = load_pack(tmp_path / "pack")
    assert pack.classes == ("High Activity", "Low Activity", "Moderate Activity")
    assert pack.labels_map["Low_Activity"] == "Low Activity" and pack.primary_metric == "macro_f1"
    with sqlite3.connect(load_pack(tmp_path / "pack", "rerun").fresh_sample) as conn:
        fresh = pd.read_sql_query("SELECT * FROM gas_monitoring", conn)
    with sqlite3.connect(pack.train_db) as conn:
        train = pd.read_sql_query("SELECT * FROM gas_monitoring", conn)
    assert set(fresh["Activity Level"]) - {"High Activity"} & {"LowActivity", "Low_Activity"}  # raw spellings kept
    assert list(fresh.columns) == list(train.columns)  # the table as the paper gave it, the created id included
    assert not set(fresh["Session ID"]) & set(train["Session ID"])  # grouped: no session on both sides


def test_regression_from_csv_and_seen_resample(tmp_path, capsys):
    rng = np.random.default_rng(5)
    n = 500
    light = rng.uniform(0, 1000, n)
    frame = pd.DataFrame({"Light Intensity Sensor (lux)": light, "Plant Type": rng.choice(["herbs", "Herbs"], n),
                          "Temperature Sensor (°C)": 20 + light / 100 + rng.normal(size=n)})
    path = tmp_path / "farm.csv"
    frame.to_csv(path, index=False)
    code, out = run_new([str(path), "--target", "Temperature Sensor (°C)", "--table", "farm_data", "--mode", "rerun",
                         "--seen", "--out", str(tmp_path / "pack")], capsys)
    assert code == 0, out
    pack = load_pack(tmp_path / "pack")
    assert pack.task == "regression" and pack.primary_metric == "rmse" and pack.fresh_seen
    assert pack.reference["rmse"] < pack.facts["baselines"]["mean"]["rmse"]
    assert pack.facts["rows_train"] == 500 and pack.summary()["seen_data"]


def test_seen_training_file_is_the_file_itself(tmp_path, capsys):
    db = make_db(tmp_path / "bank.db", binary_frame())
    code, out = run_new([str(db), "--target", "Subscription Status", "--mode", "rerun", "--seen", "--out",
                         str(tmp_path / "pack")], capsys)
    assert code == 0, out
    assert (tmp_path / "pack" / "data" / "bank.db").read_bytes() == db.read_bytes()


def _bad(tmp_path: Path, case: str) -> tuple[list[str], str]:
    """A bad input to `pack new` and a fragment of the message it must get."""
    frame = binary_frame()
    make = lambda f, **kw: str(make_db(tmp_path / "in.db", f, **kw))  # noqa: E731
    out = ["--out", str(tmp_path / "pack")]
    if case == "not_sqlite":
        (tmp_path / "in.db").write_bytes(b"PK\x03\x04 this is a zip")
        return [str(tmp_path / "in.db"), "--target", "y", *out], "not a SQLite database"
    if case == "corrupt_sqlite":
        (tmp_path / "in.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
        return [str(tmp_path / "in.db"), "--target", "y", *out], "not a readable SQLite database"
    if case == "missing_file":
        return [str(tmp_path / "nope.db"), "--target", "y", *out], "no such file"
    if case == "no_table":
        return [make(frame), "--target", "Subscription Status", "--table", "bank", *out], "no table 'bank'"
    if case == "two_tables":
        path = make(frame)
        make_db(Path(path), frame, table="other")
        return [path, "--target", "Subscription Status", *out], "choose one with --table"
    if case == "no_target":
        return [make(frame), "--target", "Outcome", *out], "no target column 'Outcome'"
    if case == "constant_target":
        return [make(frame.assign(**{"Subscription Status": "no"})), "--target", "Subscription Status", *out], \
            "is constant"
    if case == "null_target":
        return [make(frame.assign(**{"Subscription Status": None})), "--target", "Subscription Status", *out], \
            "has no values"
    if case == "too_few_rows":
        return [make(frame.head(40)), "--target", "Subscription Status", *out], "too few for the split"
    if case == "one_row_per_class":
        return [make(frame), "--target", "Client ID", "--task", "multiclass", *out], "occurs once"
    if case == "single_row_class":
        odd = frame.copy()
        odd.loc[0, "Subscription Status"] = "maybe"
        return [make(odd), "--target", "Subscription Status", "--task", "multiclass", *out], "has a single row"
    if case == "positive_not_a_class":
        return [make(frame), "--target", "Subscription Status", "--positive", "true", *out], "is not a class"
    if case == "no_group_column":
        return [make(frame), "--target", "Subscription Status", "--group", "Session", *out], "no group column"
    if case == "id_not_unique":
        return [make(frame), "--target", "Subscription Status", "--id-column", "Contact Method", *out], "not an id"
    if case == "regression_text":
        return [make(frame), "--target", "Subscription Status", "--task", "regression", *out], "numeric target"
    if case == "seen_predictions":
        return [make(frame), "--target", "Subscription Status", "--seen", *out], "--mode rerun only"
    if case == "tail_with_group":
        return [make(frame), "--target", "Subscription Status", "--split", "tail", "--group", "Contact Method",
                *out], "cannot also keep --group"
    if case == "csv_not_utf8":
        (tmp_path / "in.csv").write_bytes("a,y\n\xe9t\xe9,1\n".encode("latin-1"))
        return [str(tmp_path / "in.csv"), "--target", "y", *out], "not UTF-8"
    if case == "csv_empty":
        (tmp_path / "in.csv").write_bytes(b"")
        return [str(tmp_path / "in.csv"), "--target", "y", *out], "is empty"
    if case == "out_not_empty":
        (tmp_path / "pack").mkdir()
        (tmp_path / "pack" / "keep.txt").write_text("x")
        return [make(frame), "--target", "Subscription Status", *out], "exists and is not empty"
    raise AssertionError(case)


BAD_INPUTS = ["not_sqlite", "corrupt_sqlite", "missing_file", "no_table", "two_tables", "no_target",
              "constant_target", "null_target", "too_few_rows", "one_row_per_class", "single_row_class",
              "positive_not_a_class", "no_group_column", "id_not_unique", "regression_text", "seen_predictions",
              "tail_with_group",
              "csv_not_utf8", "csv_empty", "out_not_empty"]


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_gets_a_clear_error_naming_the_file(tmp_path, capsys, case):
    args, fragment = _bad(tmp_path, case)
    code, out = run_new(args, capsys)
    flat = " ".join(out.split())
    assert code == 2 and fragment in flat, flat
    assert "Traceback" not in out
    if case not in ("seen_predictions", "out_not_empty", "positive_not_a_class", "tail_with_group"):
        assert Path(args[0]).name in flat  # the message names the file
    assert not (tmp_path / "pack" / "assessment.toml").exists()


def test_validate_reports_every_problem_at_once(tmp_path, capsys):
    db = make_db(tmp_path / "bank.db", binary_frame())
    assert run_new([str(db), "--target", "Subscription Status", "--out", str(tmp_path / "pack")], capsys)[0] == 0
    toml = tmp_path / "pack" / "assessment.toml"
    text = toml.read_text().replace('positive_label = "yes"', 'positive_label = "si"')
    toml.write_text(text.replace("timeout_s = 1200", "timeout_s = -5"))
    (tmp_path / "pack" / "paper.md").unlink()
    with (tmp_path / "pack" / "holdout" / "labels.csv").open("a", newline="") as fh:
        csv.writer(fh).writerow(["C99999", "yes"])
    problems = pack_problems(tmp_path / "pack")
    joined = "\n".join(problems)
    assert len(problems) >= 4, problems
    for fragment in ("positive_label 'si'", "limits.timeout_s", "no paper.md", "ids differ"):
        assert fragment in joined
    assert main(["pack", "validate", str(tmp_path / "pack")]) == 2
    assert "4 problem(s)" in " ".join(capsys.readouterr().out.split())


def test_pack_new_on_the_mock_generator_output_reproduces_the_mock_pack(tmp_path, capsys, mock_pack):
    shipped = mock_pack.root  # built by build_mock_pack, as the grader ships it
    round_file = write_round_file(tmp_path / "round" / "deliveries.db")
    mock = Path(__file__).resolve().parents[2] / "grader" / "packs" / "mock"
    code, out = run_new([str(round_file), "--target", "late", "--id-column", "delivery_id", "--positive", "1",
                         "--holdout", "3000", "--split", "tail", "--seed", "20240611",
                         "--settings", str(mock / "settings.toml"),
                         "--paper", str(mock / "paper.md"), "--out", str(tmp_path / "by-hand")], capsys)
    assert code == 0, out
    for rel in ("data/deliveries.db", "holdout/holdout.db", "holdout/labels.csv", "paper.md"):
        digest = hashlib.sha256((shipped / rel).read_bytes()).hexdigest()
        assert digest == hashlib.sha256((tmp_path / "by-hand" / rel).read_bytes()).hexdigest(), rel
    shipped_toml = tomllib.loads((shipped / "assessment.toml").read_text())
    assert shipped_toml == tomllib.loads((tmp_path / "by-hand" / "assessment.toml").read_text())
    assert shipped_toml["id"] == "mock-late-delivery" and shipped_toml["domain"]["subject"]


def test_the_mock_pack_holds_out_exactly_the_generators_held_out_rows(mock_pack):
    from grader.packs.mock.generate import generate

    data = generate()
    with sqlite3.connect(mock_pack.train_db) as conn:
        train = pd.read_sql_query("SELECT * FROM deliveries", conn)
    pd.testing.assert_frame_equal(train, data.train.astype(train.dtypes.to_dict()), check_dtype=False)
    labels = pd.read_csv(mock_pack.labels, dtype=str)
    assert list(labels["delivery_id"]) == list(data.labels["delivery_id"])
    assert list(labels["late"]) == [str(v) for v in data.labels["late"]]
