"""
clean.py
Data cleaning + feature preparation.

Activity Level is an ordered variable (Low < Moderate < High), so it is coded
as 0, 1, 2 and treated as a score. See eda.ipynb section 6 for the reasoning.
"""
import numpy as np
import pandas as pd

SENSOR_COLS = ["Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
               "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
               "MetalOxideSensor_Unit4"]
MOX_COLS = ["MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
            "MetalOxideSensor_Unit4"]

ACTIVITY_CODE = {"low": 0, "moderate": 1, "high": 2}
ACTIVITY_NAME = {0: "Low Activity", 1: "Moderate Activity", 2: "High Activity"}
CO_CODE = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}


def encode_activity(col):
    """'Low_Activity', 'LowActivity', 'Low Activity' -> 0 etc."""
    first_word = col.str.lower().str.replace("_", " ").str.replace("activity", "").str.strip()
    return first_word.map(ACTIVITY_CODE)


def fix_sensor_errors(df):
    """Unit and range errors found in the EDA (section 3)."""
    df = df.copy()
    # Kelvin readings: the distribution is bimodal with a second mode at ~293 = 20 C
    df["Temperature"] = np.where(df["Temperature"] > 100, df["Temperature"] - 273.15, df["Temperature"])
    # relative humidity outside [0, 100] is physically impossible -> missing
    df.loc[~df["Humidity"].between(0, 100), "Humidity"] = np.nan
    # negative CO2 concentration is impossible -> missing
    df.loc[df["CO2_InfraredSensor"] < 0, "CO2_InfraredSensor"] = np.nan
    df["HVAC Operation Mode"] = df["HVAC Operation Mode"].str.lower()
    return df


def impute(df, medians=None):
    """Median imputation for sensors, mode (=1, 'low') for CO_GasSensor.
    If medians is None they are computed from df."""
    df = df.copy()
    if medians is None:
        medians = df[SENSOR_COLS].median()
    df[SENSOR_COLS] = df[SENSOR_COLS].fillna(medians)
    df["CO_GasSensor"] = df["CO_GasSensor"].map(CO_CODE).fillna(1)
    return df, medians


def make_features(df, mox_mean=None, mox_sd=None):
    """
    - mox_index: average z-score of the 4 metal oxide sensors (they are strongly
      inter-correlated, r = 0.5-0.8, so one composite is more stable)
    - time of day dummies (evening has a much lower activity score)
    """
    df = df.copy()
    if mox_mean is None:
        mox_mean, mox_sd = df[MOX_COLS].mean(), df[MOX_COLS].std()
    z = (df[MOX_COLS] - mox_mean) / mox_sd
    df["mox_index"] = z.mean(axis=1)
    df["co2_diff"] = df["CO2_ElectroChemicalSensor"] - df["CO2_InfraredSensor"]
    tod = pd.get_dummies(df["Time of Day"].str.lower(), prefix="tod", dtype=int)
    for t in ["tod_afternoon", "tod_evening", "tod_night"]:
        df[t] = tod[t] if t in tod else 0
    return df, mox_mean, mox_sd


FEATURES = SENSOR_COLS + ["CO_GasSensor", "mox_index", "co2_diff", "tod_afternoon", "tod_evening", "tod_night"]
