"""Cleaning and feature preparation for the farm sensor data."""
import pandas as pd

NUTRIENT_COLS = ["Nutrient N Sensor (ppm)", "Nutrient P Sensor (ppm)", "Nutrient K Sensor (ppm)"]
# sensors that cannot be negative; negative readings in the EDA look like flipped signs
NON_NEGATIVE_COLS = ["Temperature Sensor (°C)", "Light Intensity Sensor (lux)", "EC Sensor (dS/m)"]
NUMERIC_FEATURES = [
    "Humidity Sensor (%)", "Light Intensity Sensor (lux)", "CO2 Sensor (ppm)", "EC Sensor (dS/m)",
    "O2 Sensor (ppm)", "pH Sensor", "Water Level Sensor (mm)",
] + NUTRIENT_COLS
CATEGORICAL_FEATURES = ["System Location Code", "Previous Cycle Plant Type", "Plant Type", "Plant Stage", "Plant Type-Stage"]
TEXT_CASE_COLS = ["Plant Type", "Plant Stage", "Previous Cycle Plant Type"]


def parse_ppm(series):
    """'150 ppm' -> 150.0, plain numbers are kept, anything else becomes NaN."""
    cleaned = series.astype("string").str.replace("ppm", "", regex=False).str.strip()
    return pd.to_numeric(cleaned, errors="coerce")


def drop_bad_rows(df, target, id_column):
    """Training only: remove duplicate readings (ignoring the id) and rows without a target."""
    before = len(df)
    df = df.drop_duplicates(subset=[c for c in df.columns if c != id_column])
    df = df.dropna(subset=[target])
    print(f"Removed {before - len(df)} duplicate / no-target rows, {len(df)} left")
    return df.reset_index(drop=True)


def clean(df):
    """Cleaning shared by training and holdout data."""
    df = df.copy()
    for col in NUTRIENT_COLS:
        df[col] = parse_ppm(df[col])
    for col in NUMERIC_FEATURES + NON_NEGATIVE_COLS:
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce")
    for col in NON_NEGATIVE_COLS:
        if col in df.columns:
            df[col] = df[col].abs()
    # 'HERBS', 'herbs', 'Herbs' are the same label
    for col in TEXT_CASE_COLS:
        df[col] = df[col].astype("string").str.strip().str.title()
    # temperature needs differ by plant type and stage, so keep the combination as one category
    df["Plant Type-Stage"] = df["Plant Type"] + " - " + df["Plant Stage"]
    return df
