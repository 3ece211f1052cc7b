"""Featurizer plugins. Signature: fn(df, settings) -> df (adds columns)"""
import pandas as pd

from ..registry import FEATURIZERS

LEVELS = {
    "CO_GasSensor": ["extremely low", "low", "medium", "high", "extremely high"],
    "Ambient Light Level": ["very_dim", "dim", "moderate", "bright", "very_bright"],
}
NOMINAL = {
    "Time of Day": ["morning", "afternoon", "evening", "night"],
    "HVAC Operation Mode": ["off", "eco_mode", "heating_active", "cooling_active", "ventilation_only", "maintenance_mode"],
}
MOX = [f"MetalOxideSensor_Unit{i}" for i in range(1, 5)]


@FEATURIZERS.register("ordinal_levels")
def ordinal_levels(df, settings):
    for col, levels in LEVELS.items():
        df[col + "_ord"] = df[col].map({v: i for i, v in enumerate(levels)})
    return df


@FEATURIZERS.register("one_hot_nominal")
def one_hot_nominal(df, settings):
    for col, values in NOMINAL.items():
        for v in values:
            df[f"{col}={v}"] = (df[col] == v).astype(int)
    return df


@FEATURIZERS.register("mox_stats")
def mox_stats(df, settings):
    df["mox_mean"] = df[MOX].mean(axis=1)
    df["mox_std"] = df[MOX].std(axis=1)
    return df
