#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (processes that try to outlive the run) - not a real submission.
cd "$(dirname "$0")" || exit 1

# A double-forked, setsid'd daemon with a marker on its command line (stops itself after 300 s).
python src/daemon.py aie-daemon-marker

# A plain nohup'd background sleeper, tagged through its environment (ends by itself after 600 s).
AIE_SLEEPER=aie-sleeper nohup sleep 600 >/dev/null 2>&1 &

echo 'ATTACK-RESULT {"attack":"background","succeeded":false,"details":{"note":"cannot know from inside; the test checks the host for aie-daemon-marker, aie-sleeper and /tmp/aie-daemon-heartbeat","launched":["python src/daemon.py aie-daemon-marker","nohup sleep 600 (AIE_SLEEPER=aie-sleeper)"]}}'
printf '%s\n' '{"attack":"background","succeeded":false,"details":{"launched":true}}' > output/attack.json 2>/dev/null
exit 0
