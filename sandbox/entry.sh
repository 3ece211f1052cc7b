#!/bin/bash
# Runs inside the container as the unprivileged runner user. /submission is the read-only copy of
# the submission; /work is a size-capped tmpfs; /work/data (read-only) and /work/output are mounts.
# Copy the submission into the workspace, leaving the grader's data/ and output/ in place, then run.
set -u
cd /work || exit 97
tar -C /submission --exclude=./data --exclude=./output -cf - . 2>/dev/null \
  | tar -xf - --no-same-owner --no-same-permissions 2>/dev/null
exec "$@"
