cd src
python main.py
