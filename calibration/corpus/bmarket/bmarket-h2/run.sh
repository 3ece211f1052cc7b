#!/bin/bash
# run the ML pipeline
echo "Starting pipeline..."
python src/main.py
echo "Done!"
