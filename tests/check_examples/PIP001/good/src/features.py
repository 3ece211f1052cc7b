def add_features(frame):
    frame["is_long"] = frame["distance_km"] > 10
    return frame
