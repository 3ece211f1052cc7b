python -m src.main
