#!/bin/bash
cd "$(dirname "$0")"
python src/main.py
