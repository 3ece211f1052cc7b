# main.py
# run the whole pipeline: load -> clean -> encode -> train -> evaluate -> predict

import json
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, confusion_matrix

from data_prep import load_data, clean_data, add_features, encode_and_scale
from train import train_and_compare, tune_random_forest
from predict import predict_holdout


def main():
    with open("config.json") as f:
        config = json.load(f)

    df = load_data(config["db_path"], config["table_name"])
    if df is None:
        return

    df = clean_data(df)
    df = add_features(df)
    X, y = encode_and_scale(df)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config["test_size"], random_state=config["random_state"])
    print("Train size:", X_train.shape, "Test size:", X_test.shape)

    best_name, best_model, results = train_and_compare(
        config["models"], X_train, X_test, y_train, y_test, config["random_state"])

    # try to tune random forest to see if it can beat the best model
    tuned_rf = tune_random_forest(X_train, y_train, config["rf_n_estimators_grid"],
                                  config["cv_folds"], config["random_state"])
    tuned_acc = accuracy_score(y_test, tuned_rf.predict(X_test))
    print("Tuned random forest test accuracy:", round(tuned_acc, 4))
    if tuned_acc > results[best_name]:
        best_name, best_model = "random_forest (tuned)", tuned_rf

    # final evaluation
    y_pred = best_model.predict(X_test)
    print("\n===== Final model:", best_name, "=====")
    print("Accuracy:", round(accuracy_score(y_test, y_pred), 4))
    print("Precision:", round(precision_score(y_test, y_pred), 4))
    print("Recall:", round(recall_score(y_test, y_pred), 4))
    print("F1:", round(f1_score(y_test, y_pred), 4))
    print("Confusion matrix:")
    print(confusion_matrix(y_test, y_pred))

    predict_holdout(best_model, X_train.columns, config["holdout_path"], config["table_name"],
                    config["output_path"])


if __name__ == "__main__":
    main()
