#!/bin/bash
exec python3 src/late.py --config settings.toml "$@"
