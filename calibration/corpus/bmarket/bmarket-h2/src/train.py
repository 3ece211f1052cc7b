# train.py
# train and compare the models

from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.metrics import accuracy_score, classification_report, f1_score


def get_model(name, random_state):
    if name == "logistic_regression":
        return LogisticRegression(max_iter=1000)
    elif name == "decision_tree":
        return DecisionTreeClassifier(random_state=random_state)
    elif name == "random_forest":
        return RandomForestClassifier(random_state=random_state)
    else:
        print("Unknown model", name)
        return None


def train_and_compare(model_names, X_train, X_test, y_train, y_test, random_state):
    # train each model and check the accuracy on the test set
    results = {}
    trained = {}
    for name in model_names:
        model = get_model(name, random_state)
        if model is None:
            continue
        model.fit(X_train, y_train)
        y_pred = model.predict(X_test)
        acc = accuracy_score(y_test, y_pred)
        f1 = f1_score(y_test, y_pred)
        print("=" * 40)
        print(name, "accuracy:", round(acc, 4), "f1:", round(f1, 4))
        print(classification_report(y_test, y_pred))
        results[name] = acc
        trained[name] = model

    best_name = max(results, key=results.get)
    print("Best model is", best_name, "with accuracy", round(results[best_name], 4))
    return best_name, trained[best_name], results


def tune_random_forest(X_train, y_train, n_estimators_grid, cv, random_state):
    # grid search to find the best number of trees
    params = {"n_estimators": n_estimators_grid}
    grid = GridSearchCV(RandomForestClassifier(random_state=random_state), params, cv=cv, scoring="accuracy")
    grid.fit(X_train, y_train)
    print("Best params:", grid.best_params_, "best cv accuracy:", round(grid.best_score_, 4))
    return grid.best_estimator_
