import sys
from data import load_data, clean
from model import train_model
from evaluate import evaluate
from predict import predict

if __name__ == "__main__":
    model_type = sys.argv[1] if len(sys.argv) > 1 else "rf"
    df = load_data("data/bmarket.db")
    df = clean(df)
    model, X_test, y_test = train_model(df, model_type)
    evaluate(model, X_test, y_test)
    predict()
    print("Pipeline finished succesfully!")
