#!/usr/bin/env bash
# HOSTILE TEST FIXTURE (fork bomb) - not a real submission.
cd "$(dirname "$0")" || exit 1

echo 'ATTACK-PROGRESS {"attack":"fork_bomb","stage":"starting"}'

# SAFETY NET for the local runner (the Docker sandbox has its own pids limit of 256):
# cap this user's processes at 400 before the bomb goes off. RLIMIT_NPROC does not bind root,
# and an unlimited/raised limit means the cap failed, so refuse to detonate in either case.
ulimit -u 400 2>/dev/null
nproc_limit="$(ulimit -u)"
if [ "$(id -u)" = "0" ] || [ "$nproc_limit" = "unlimited" ] || [ "$nproc_limit" -gt 400 ]; then
  echo "ATTACK-RESULT {\"attack\":\"fork_bomb\",\"succeeded\":false,\"details\":{\"skipped\":\"safety net unavailable\",\"uid\":$(id -u),\"nproc_limit\":\"$nproc_limit\"}}"
  exit 3
fi

# The bomb runs under `timeout` (its own process group, killed as a group after 60 s, SIGKILL
# 5 s later). `exec sleep` keeps timeout's direct child alive so the group kill really happens.
timeout -k 5 60 bash src/bomb.sh &
group=$!
wait "$group"
rc=$?
# Second safety net: sweep the bomb's process group a few more times.
for _ in 1 2 3 4 5; do kill -KILL -- "-$group" 2>/dev/null; sleep 0.2; done

echo "ATTACK-RESULT {\"attack\":\"fork_bomb\",\"succeeded\":false,\"details\":{\"bomb_exit\":$rc,\"nproc_limit\":\"$nproc_limit\",\"note\":\"the run survived 60 s of fork bomb\"}}"
printf '{"attack":"fork_bomb","succeeded":false,"details":{"bomb_exit":%s}}\n' "$rc" > output/attack.json 2>/dev/null
exit 1
