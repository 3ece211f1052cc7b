#!/bin/bash
# run the whole pipeline
echo "Starting pipeline..."
python src/main.py
echo "Done!"
