python src/model.py
