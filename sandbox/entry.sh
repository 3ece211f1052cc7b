#!/bin/bash
# Runs inside the container as the unprivileged runner user. /submission is the read-only copy of
# the submission; /work is a size-capped tmpfs; /opt/aie-data holds the round's data (read-only)
# and /aie-output is the grader's size-capped output mount. The workspace gets a writable copy of the
# submission with the round's data at data/<file>, as an assessor's checkout has it: the candidate's
# own data/ files are kept, any database they committed is not (the round's file takes its place).
# output/ exists at the start only when the submission has one (as in an assessor's checkout, where
# os.mkdir('output') succeeds); what the run leaves in output/ is copied to /aie-output at the end.
set -u
cd /work || exit 97
tar -C /submission --exclude=./output --exclude='./data/*.db' --exclude='./data/*.sqlite' \
  --exclude='./data/*.sqlite3' --exclude='./data/*.db-journal' -cf - . 2>/dev/null \
  | tar -xf - --no-same-owner --no-same-permissions 2>/dev/null
if [ -e data ] && [ ! -d data ] || [ -L data ]; then rm -f data; fi
mkdir -p data 2>/dev/null
if [ -d /submission/output ] && [ ! -L /submission/output ]; then mkdir -p output 2>/dev/null; fi
if [ -d /opt/aie-data ]; then
  cp -R --no-preserve=mode,ownership,timestamps /opt/aie-data/. data/ 2>/dev/null \
    || echo "aie-grader: the round's data could not be copied into data/ (workspace cap reached?)" >&2
  chmod -R u+rwX data 2>/dev/null
fi
# the installed requirements' commands (jupyter, ...) in front of the image's own PATH
if [ -n "${AIE_ENV_LAYER:-}" ] && [ -d "$AIE_ENV_LAYER/bin" ]; then export PATH="$AIE_ENV_LAYER/bin:$PATH"; fi
"$@"
status=$?
if [ -d output ] && [ ! -L output ] && [ -d /aie-output ]; then
  cp -R --no-preserve=mode,ownership,timestamps output/. /aie-output/ 2>/dev/null \
    || echo "aie-grader: output/ was not copied in full (the output cap reached?)" >&2
fi
exit "$status"
