pip install -r requirements.txt
python src/main.py
