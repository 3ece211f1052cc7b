#!/bin/sh
python src/run.py config.json
