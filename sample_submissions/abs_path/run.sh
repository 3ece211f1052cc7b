#!/bin/bash
source venv/bin/activate
python -m pipeline.run
