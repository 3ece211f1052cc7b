import pandas as pd


def clean(frame):
    frame = frame.drop_duplicates()
    frame["distance_km"] = frame["distance_km"].abs()
    frame["weather"] = frame["weather"].fillna("clear")
    return frame[frame["distance_km"] < 100]


def main():
    train = clean(pd.read_csv("data/train.csv"))
    holdout = clean(pd.read_csv("data/holdout.csv"))
    print(len(train), len(holdout))


if __name__ == "__main__":
    main()
