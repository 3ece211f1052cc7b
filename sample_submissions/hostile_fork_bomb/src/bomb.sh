#!/usr/bin/env bash
# HOSTILE TEST FIXTURE: the classic bash fork bomb. Only ever started by run.sh, which sets
# `ulimit -u 400` and wraps this in `timeout 60`. Do not run it by hand.
echo 'ATTACK-PROGRESS {"attack":"fork_bomb","stage":"detonating"}'
:(){ :|:& };:
exec sleep 120
