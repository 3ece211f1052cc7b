#!/bin/bash
python src/prepare.py
python src/train.py
