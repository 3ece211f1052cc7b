from sklearn.metrics import f1_score


def evaluate(model, frame):
    return f1_score(frame["late"], model.predict(frame[["distance_km", "is_long"]]))
