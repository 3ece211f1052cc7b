from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import accuracy_score, confusion_matrix


def train_models(X_train, y_train, config):
    # train two models to compare
    models = {
        'Logistic Regression': LogisticRegression(max_iter=config['max_iter']),
        'Decision Tree': DecisionTreeClassifier(max_depth=config['tree_max_depth'], random_state=config['random_state'])
    }
    for name in models:
        models[name].fit(X_train, y_train)
    return models


def evaluate_models(models, X_test, y_test):
    results = {}
    for name, model in models.items():
        y_pred = model.predict(X_test)
        acc = accuracy_score(y_test, y_pred)
        results[name] = acc
        print(name)
        print('Accuracy:', round(acc, 4))
        print('Confusion matrix:')
        print(confusion_matrix(y_test, y_pred))
        print()
    return results
