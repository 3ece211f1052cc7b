"""The candidate models, their training and their evaluation."""
import joblib
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_sample_weight


def build_models(settings):
    """Create the models to compare, with the parameters given on the command line."""
    return {
        # linear baseline; the inputs have very different scales so they are standardised
        "logistic_regression": make_pipeline(
            StandardScaler(),
            LogisticRegression(C=settings.lr_c, class_weight="balanced", max_iter=2000),
        ),
        # boosted trees can pick up the rush-hour and weather x distance effects seen in the EDA
        "gradient_boosting": GradientBoostingClassifier(
            n_estimators=settings.gb_trees,
            learning_rate=settings.gb_learning_rate,
            max_depth=settings.gb_depth,
            subsample=0.8,
            random_state=settings.seed,
        ),
    }


def fit(name, model, X_train, y_train):
    """Fit one model. Only 23% of deliveries are late, so both models weight the classes."""
    if name == "gradient_boosting":
        # GradientBoostingClassifier has no class_weight option -> use balanced sample weights
        model.fit(X_train, y_train, sample_weight=compute_sample_weight("balanced", y_train))
    else:
        model.fit(X_train, y_train)
    return model


def score(model, X, y):
    """Return accuracy, precision, recall, F1 (late class) and ROC AUC of a fitted model."""
    predicted = model.predict(X)
    probability = model.predict_proba(X)[:, 1]
    return {
        "accuracy": accuracy_score(y, predicted),
        "precision": precision_score(y, predicted, zero_division=0),
        "recall": recall_score(y, predicted),
        "f1": f1_score(y, predicted),
        "roc_auc": roc_auc_score(y, probability),
    }


def compare(models, X_train, y_train, X_test, y_test):
    """Train every model, print train/test scores and return (best name, results table)."""
    results = {}
    for name, model in models.items():
        fit(name, model, X_train, y_train)
        train_f1 = f1_score(y_train, model.predict(X_train))
        test_scores = score(model, X_test, y_test)
        results[name] = test_scores

        print(f"\n=== {name} ===")
        print(f"train F1: {train_f1:.3f}  (a big gap to test F1 would mean overfitting)")
        for metric, value in test_scores.items():
            print(f"test {metric:<9}: {value:.3f}")
        tn, fp, fn, tp = confusion_matrix(y_test, model.predict(X_test)).ravel()
        print(f"confusion matrix: TN={tn} FP={fp} FN={fn} TP={tp}")

    best = max(results, key=lambda n: results[n]["f1"])
    print(f"\nbest model on F1: {best} ({results[best]['f1']:.3f})")
    return best, results


def save_model(bundle, path):
    """Save the fitted model together with what is needed to prepare new data."""
    joblib.dump(bundle, path)
    print(f"[model] saved to {path}")
