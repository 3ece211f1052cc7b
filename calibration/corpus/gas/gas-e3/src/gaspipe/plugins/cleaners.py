"""Cleaner plugins. Signature: fn(df, settings) -> df"""
import numpy as np
import pandas as pd

from ..registry import CLEANERS

TARGET = "Activity Level"


@CLEANERS.register("normalize_text")
def normalize_text(df, settings):
    for col in ["Time of Day", "HVAC Operation Mode", "CO_GasSensor", "Ambient Light Level"]:
        if col in df:
            df[col] = df[col].str.lower().str.strip()
    return df


@CLEANERS.register("normalize_target")
def normalize_target(df, settings):
    if TARGET not in df:
        return df  # inference data has no target
    fixed = df[TARGET].str.replace("_", " ").str.replace(r"(?<=[a-z])(?=Activity)", " ", regex=True)
    df[TARGET] = fixed
    return df


@CLEANERS.register("kelvin_to_celsius")
def kelvin_to_celsius(df, settings):
    df["Temperature"] = np.where(df["Temperature"] > 200, df["Temperature"] - 273.15, df["Temperature"])
    return df


@CLEANERS.register("clip_humidity")
def clip_humidity(df, settings):
    df["Humidity"] = df["Humidity"].clip(0, 100)
    return df


@CLEANERS.register("clip_negative_co2")
def clip_negative_co2(df, settings):
    df["CO2_InfraredSensor"] = df["CO2_InfraredSensor"].clip(lower=0)
    return df
