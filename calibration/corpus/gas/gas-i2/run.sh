cd src
python main.py --model rf
