#!/bin/bash
# Runs inside the container as the unprivileged runner user. /submission is the read-only copy of
# the submission; /work is a size-capped tmpfs; /opt/aie-data holds the round's data (read-only)
# and /work/output is a mount. The workspace gets a writable copy of the submission with the
# round's data at data/<file>, as an assessor's checkout has it: the candidate's own data/ files
# are kept, any database they committed is not (the round's file takes its place).
set -u
cd /work || exit 97
tar -C /submission --exclude=./output --exclude='./data/*.db' --exclude='./data/*.sqlite' \
  --exclude='./data/*.sqlite3' --exclude='./data/*.db-journal' -cf - . 2>/dev/null \
  | tar -xf - --no-same-owner --no-same-permissions 2>/dev/null
if [ -e data ] && [ ! -d data ] || [ -L data ]; then rm -f data; fi
mkdir -p data output 2>/dev/null
if [ -d /opt/aie-data ]; then
  cp -R --no-preserve=mode,ownership,timestamps /opt/aie-data/. data/ 2>/dev/null \
    || echo "aie-grader: the round's data could not be copied into data/ (workspace cap reached?)" >&2
  chmod -R u+rwX data 2>/dev/null
fi
# the installed requirements' commands (jupyter, ...) in front of the image's own PATH
if [ -n "${AIE_ENV_LAYER:-}" ] && [ -d "$AIE_ENV_LAYER/bin" ]; then export PATH="$AIE_ENV_LAYER/bin:$PATH"; fi
exec "$@"
