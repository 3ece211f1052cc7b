#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (sparse files past the output cap) - not a real submission.
cd "$(dirname "$0")" || exit 1
mkdir -p output
truncate -s 1G output/a.bin
truncate -s 1G output/b.bin
mkfifo output/pipe 2>/dev/null || true
du -sk output
echo 'ATTACK-RESULT {"attack": "sparse_output", "succeeded": false, "details": {"apparent_bytes": 2147483648}}'
