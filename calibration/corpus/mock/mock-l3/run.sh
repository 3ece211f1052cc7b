#!/bin/bash
python src/train.py
python src/predict.py
