#!/usr/bin/env bash
# Installs what the grader needs on a fresh Debian machine, idempotently:
#   .venv with the grader and its dev tools; a Docker engine, the offline base image and the
#   runner image. Sets AIE_GRADER_DOCKER=ok|unavailable for the caller (source this file).
# Set AIE_GRADER_NO_DOCKER=1 to skip the Docker part.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { echo "[setup] $*" >&2; }

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PYTHON" -m venv .venv || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && "$PYTHON" -m venv .venv; } || exit 1
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  log "installing the grader and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1
  .venv/bin/python -m pip install -q -e '.[dev]' 2> >(grep -v "Location 'file" >&2) || exit 1
  touch "$stamp"
fi

if [ "$(id -u)" = 0 ]; then
  # as root the local runner drops to a throw-away uid, which needs a Python it can run
  .venv/bin/python -m sandbox.local_env >/dev/null || log "the local runner environment could not be built"
fi

AIE_GRADER_DOCKER=unavailable
if [ "${AIE_GRADER_NO_DOCKER:-0}" != "1" ]; then
  if bash scripts/ensure_docker.sh; then
    log "building the runner image if missing (first time: a few minutes)"
    if .venv/bin/python -m sandbox.image >/dev/null; then
      AIE_GRADER_DOCKER=ok
    else
      log "the runner image could not be built"
    fi
  fi
fi
export AIE_GRADER_DOCKER
