from data import load_data, clean_data
from train import prepare_features, train_models
from predict import predict_holdout


def main():
    df = load_data()
    if df is None or len(df) == 0:
        print("No data")
        return

    df = clean_data(df)
    print("Data after cleaning:", df.shape)

    X, y = prepare_features(df)
    model = train_models(X, y)

    predict_holdout(model)
    print("Done")


if __name__ == "__main__":
    main()
