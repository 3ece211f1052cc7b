pip install -r requirements.txt
cd src
python main.py
