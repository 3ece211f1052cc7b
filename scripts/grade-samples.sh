#!/usr/bin/env bash
# The main job: grade the sample submissions as a cohort in the Docker sandbox and write the reports:
#   grader-out/submissions/<sample>/report.json + report.html, grader-out/summary.csv, grader-out/cohort.html.
# Installs what it needs (scripts/setup.sh). Re-running reuses every result whose submission, pack and grader
# are unchanged (the batch's content-hash cache).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh || exit 1
backend=docker
if [ "$AIE_GRADER_DOCKER" != "ok" ]; then
  echo "WARNING: no Docker engine: grading statically only (--backend none); the pipelines are NOT run." >&2
  backend=none
fi
# hostile fixtures are graded by the hostile suite (tests/integration/test_hostile.py, bench/hostile_suite.py)
exec .venv/bin/grader batch sample_submissions --exclude 'hostile_*' --backend "$backend" --out grader-out \
  --jobs "${JOBS:-2}" "$@"
