def add_is_rainy(frame):
    frame["is_rainy"] = frame["weather"] == "rain"
    return frame
