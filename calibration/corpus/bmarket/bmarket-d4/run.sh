#!/bin/bash

echo "Running ML pipeline..."
python src/main.py
echo "Done!"
