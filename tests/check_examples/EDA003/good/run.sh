python src/features.py
