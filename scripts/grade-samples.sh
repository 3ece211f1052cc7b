#!/usr/bin/env bash
# The main job: grade every sample submission in the Docker sandbox and write the reports to
# grader-out/<sample>/report.json. Installs what it needs (scripts/setup.sh).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh || exit 1
backend=docker
if [ "$AIE_GRADER_DOCKER" != "ok" ]; then
  echo "WARNING: no Docker engine: grading statically only (--backend none); the pipelines are NOT run." >&2
  backend=none
fi
status=0
for sample in sample_submissions/*/; do
  name=$(basename "$sample")
  # hostile fixtures are graded by the hostile suite (tests/test_hostile.py, bench/hostile_suite.py)
  case "$name" in hostile_*) continue ;; esac
  .venv/bin/grader check "$sample" --backend "$backend" --out "grader-out/$name" || status=1
done
exit $status
