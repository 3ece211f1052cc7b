"""Training and evaluation of the models."""
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def get_models(config):
    """Create the two models with the parameters from config.yaml."""
    lr_params = config["logistic_regression"]
    rf_params = config["random_forest"]
    models = {
        # logistic regression needs scaled inputs
        "logistic_regression": make_pipeline(StandardScaler(), LogisticRegression(**lr_params)),
        "random_forest": RandomForestClassifier(random_state=config["random_state"], **rf_params),
    }
    return models


def evaluate(model, X_test, y_test):
    preds = model.predict(X_test)
    scores = {
        "accuracy": accuracy_score(y_test, preds),
        "precision": precision_score(y_test, preds),
        "recall": recall_score(y_test, preds),
        "f1": f1_score(y_test, preds),
    }
    return scores


def train_and_compare(models, X_train, y_train, X_test, y_test):
    """Fit every model, print its test scores and return the name and model with the best F1."""
    best_name = None
    best_f1 = 0
    results = {}
    for name, model in models.items():
        model.fit(X_train, y_train)
        scores = evaluate(model, X_test, y_test)
        results[name] = scores
        print(f"\n{name}")
        for metric, value in scores.items():
            print(f"  {metric}: {value:.3f}")
        if scores["f1"] > best_f1:
            best_f1 = scores["f1"]
            best_name = name
    print(f"\nBest model: {best_name} (F1 = {best_f1:.3f})")
    return best_name, models[best_name], results
