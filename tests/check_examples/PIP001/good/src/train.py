from sklearn.linear_model import LogisticRegression


def train(frame, params):
    return LogisticRegression(**params).fit(frame[["distance_km", "is_long"]], frame["late"])
