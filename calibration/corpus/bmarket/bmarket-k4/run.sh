pip install -r requirements.txt
cd src
python pipeline.py
