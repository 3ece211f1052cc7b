python src/main.py
