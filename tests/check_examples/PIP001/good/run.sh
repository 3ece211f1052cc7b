set -e
python -m src.main --config config.yaml
