import argparse

import yaml

from src.data import load
from src.evaluate import evaluate
from src.features import add_features
from src.train import train


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    config = yaml.safe_load(open(parser.parse_args().config))
    frame = add_features(load("data/train.csv"))
    print(evaluate(train(frame, {"C": config["models"]["logistic"]["C"][0]}), frame))


if __name__ == "__main__":
    main()
