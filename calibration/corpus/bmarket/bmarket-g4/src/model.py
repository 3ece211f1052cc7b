import pickle
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from xgboost import XGBClassifier


def train_model(df, model_type="rf"):
    X = df.drop(columns=["Client ID", "Subscription Status"])
    y = df["Subscription Status"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

    if model_type == "xgb":
        model = XGBClassifier()
    else:
        model = RandomForestClassifier()
    model.fit(X_train, y_train)

    pickle.dump(model, open("model.pkl", "wb"))
    print("model trained")
    return model, X_test, y_test
