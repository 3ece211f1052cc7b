#!/usr/bin/env bash
# Brings up a Docker engine and the offline base image the runner image is built from.
# Idempotent. Exit 0 when the engine answers and the base image exists; non-zero otherwise.
# Facts this relies on (SPEC §12): docker.io from Debian, no registry, debootstrap makes the base.
set -euo pipefail
BASE_IMAGE=${AIE_GRADER_BASE_IMAGE:-aie-grader/base:bookworm-gomp}
log() { echo "[ensure_docker] $*" >&2; }

if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  if ! docker info >/dev/null 2>&1; then
    log "starting dockerd (log: /var/log/dockerd.log)"
    nohup dockerd >/var/log/dockerd.log 2>&1 &
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  fi
  docker info >/dev/null 2>&1 || { log "dockerd did not start: see /var/log/dockerd.log"; exit 1; }
fi

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "building offline base image $BASE_IMAGE with debootstrap (about a minute)"
  command -v debootstrap >/dev/null 2>&1 || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-pip,ca-certificates,libgomp1,procps \
    bookworm "$rootfs" >/dev/null
  tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
fi
log "docker engine up; base image $BASE_IMAGE ready"
