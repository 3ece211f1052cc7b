"""The mock pack's data carries every planted problem of SPEC §4, deterministically."""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np
import pandas as pd
import pytest

from grader.cli import main
from grader.packs import PackError, build_mock_pack, load_pack
from grader.packs.mock.generate import generate
from tests.pack_helpers import reference_scores


@pytest.fixture(scope="module")
def data():
    return generate()


@pytest.fixture(scope="module")
def train(mock_pack):
    with sqlite3.connect(mock_pack.train_db) as conn:
        return pd.read_sql_query("SELECT * FROM deliveries", conn)


def test_sizes_and_columns(mock_pack, train):
    assert len(train) == 12_000
    with sqlite3.connect(mock_pack.holdout_features) as conn:
        holdout = pd.read_sql_query("SELECT * FROM deliveries", conn)
        types = dict(conn.execute("SELECT name, type FROM pragma_table_info('deliveries')").fetchall())
    assert len(holdout) == 3_000
    assert "late" not in holdout.columns
    assert list(train.columns) == [*holdout.columns, "late"]
    assert types["distance_km"] == "REAL" and types["parcel_weight"] == "TEXT" and types["num_items"] == "INTEGER"


def test_target_share(train):
    assert 0.20 <= train["late"].mean() <= 0.25


def test_exact_duplicates_about_one_percent(train):
    share = train.duplicated().mean()
    assert 0.008 <= share <= 0.012
    assert train["delivery_id"].str.fullmatch(r"D\d{7}").all()


def test_region_and_vehicle_are_messy(train):
    regions = set(train["region"])
    assert {"North", "South", "East", "West", "Central"} <= regions
    assert any(r != r.strip() for r in regions), "stray spaces"
    assert any(r.islower() for r in regions) and any(r.strip().isupper() for r in regions), "mixed case"
    assert set(train["region"].str.strip().str.lower()) == {"north", "south", "east", "west", "central"}
    assert set(train["vehicle_type"].str.strip().str.lower()) == {"van", "motorcycle", "truck", "bicycle"}
    assert len(set(train["vehicle_type"])) > 4


def test_distance_sign_errors_and_outliers(train):
    assert 0.015 <= (train["distance_km"] < 0).mean() <= 0.025
    assert (train["distance_km"] >= 999).sum() >= 5
    assert (train["distance_km"] == 9999).any()


def test_parcel_weight_strings_with_units(train):
    weights = train["parcel_weight"]
    assert 0.04 <= weights.isna().mean() <= 0.06
    present = weights.dropna()
    assert present.str.fullmatch(r"\d+(\.\d+)? ?(kg|g)").all()
    for pattern in (r"\d+\.\d kg", r"\d+\.\dkg", r"\d+ g", r"\d+g"):
        assert present.str.fullmatch(pattern).any(), pattern


def test_driver_fields(train):
    experience = train["driver_experience_yrs"]
    assert 0.04 <= experience.isna().mean() <= 0.06
    assert (experience < 0).sum() > 50
    rating = train["driver_rating"]
    assert 0.07 <= rating.isna().mean() <= 0.09
    assert rating.dropna().between(1, 5).all()
    assert train["num_items"].between(1, 20).all()


def test_weather_traffic_tier_express(train):
    assert 0.09 <= train["weather"].isna().mean() <= 0.11
    assert set(train["weather"].dropna()) == {"clear", "rain", "storm", "haze"}
    assert (train["traffic_index"] > 10).sum() >= 10
    assert train["traffic_index"].min() >= 0
    assert set(train["customer_tier"]) == {"standard", "premium", "business"}
    assert {"1", "0", "Yes", "no", "TRUE"} <= set(train["express"])


def test_time_matters_for_the_target(train):
    when = pd.to_datetime(train["order_datetime"], format="%Y-%m-%d %H:%M:%S")
    rush = when.dt.hour.isin([7, 8, 9, 17, 18, 19])
    assert train.loc[rush, "late"].mean() > train.loc[~rush, "late"].mean() + 0.05
    weekend = when.dt.day_of_week >= 5
    assert train.loc[weekend, "late"].mean() > train.loc[~weekend, "late"].mean()


def test_weather_distance_interaction_in_clean_values(data):
    clean = data.clean
    long_trip = clean["distance_km"] > clean["distance_km"].median()
    storm = clean["weather"] == "storm"
    clear = clean["weather"] == "clear"
    gap_long = clean.loc[storm & long_trip, "late"].mean() - clean.loc[clear & long_trip, "late"].mean()
    gap_short = clean.loc[storm & ~long_trip, "late"].mean() - clean.loc[clear & ~long_trip, "late"].mean()
    assert gap_long > gap_short + 0.05


def test_generation_is_deterministic(tmp_path, mock_pack):
    """A second build gives the session's pack byte for byte (the session's is the first build)."""
    second = build_mock_pack(tmp_path / "b")
    for rel in ("data/deliveries.db", "holdout/holdout.db", "holdout/labels.csv"):
        digest_a = hashlib.sha256((mock_pack.root / rel).read_bytes()).digest()
        assert digest_a == hashlib.sha256((second / rel).read_bytes()).digest(), rel


def test_holdout_is_disjoint_and_labels_align(mock_pack, train):
    labels = pd.read_csv(mock_pack.labels, dtype={"delivery_id": str})
    with sqlite3.connect(mock_pack.holdout_features) as conn:
        holdout = pd.read_sql_query("SELECT delivery_id FROM deliveries", conn)
    assert set(labels["delivery_id"]) == set(holdout["delivery_id"])
    assert not set(labels["delivery_id"]) & set(train["delivery_id"])
    assert 0.20 <= labels["late"].mean() <= 0.25


def test_reference_scores_reproduce(mock_pack):
    scores = reference_scores(mock_pack)
    for key, value in mock_pack.reference.items():
        assert scores[key] == pytest.approx(value, abs=1e-4), key
    assert mock_pack.reference["f1"] > 0.5


def test_mock_init_gives_paper_training_data_and_a_practice_holdout_only(tmp_path, mock_pack):
    dest = tmp_path / "attempt"
    assert main(["mock", "init", str(dest)]) == 0
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert files == ["data/.gitignore", "data/deliveries.db", "data/holdout.db", "paper.md"]
    paper = (dest / "paper.md").read_text()
    assert "predictions.csv" in paper
    # what the real paper leaves to the handbook: the scale, the lines, the pass rule, the environment
    assert "**2** competent" in paper and "`prep.split`" in paper and "`pipeline.design` at least 2" in paper
    assert "scikit-learn 1.9.1" in paper and "2048 MB" in paper
    with sqlite3.connect(dest / "data" / "deliveries.db") as conn:
        train = pd.read_sql_query("SELECT * FROM deliveries", conn)
    assert len(train) == 12_000
    with sqlite3.connect(dest / "data" / "holdout.db") as conn:
        practice = pd.read_sql_query("SELECT * FROM deliveries", conn)
    # drawn from the training rows, without the target: nothing of the real held-out set
    assert "late" not in practice.columns and len(practice) == 300
    assert set(practice["delivery_id"]) <= set(train["delivery_id"])
    held = pd.read_csv(mock_pack.labels)
    assert not set(practice["delivery_id"]) & set(held["delivery_id"])
    assert main(["mock", "init", str(dest)]) == 2  # refuses to overwrite


def test_bad_packs_get_clear_errors(tmp_path, mock_pack):
    with pytest.raises(PackError, match="no assessment.toml"):
        load_pack(tmp_path)
    pack_dir = build_mock_pack(tmp_path / "p")
    toml = pack_dir / "assessment.toml"
    toml.write_text(toml.read_text().replace('task = "binary"', 'task = "clustering"'))
    with pytest.raises(PackError, match="task must be"):
        load_pack(pack_dir)
    toml.write_text("id = [")
    with pytest.raises(PackError, match="invalid TOML"):
        load_pack(pack_dir)


def test_reference_beats_baselines(mock_pack):
    labels = pd.read_csv(mock_pack.labels)
    p = labels["late"].mean()
    always_positive_f1 = 2 * p / (1 + p)
    assert mock_pack.reference["f1"] > always_positive_f1 + 0.15
    assert np.isfinite(mock_pack.reference["roc_auc"])
