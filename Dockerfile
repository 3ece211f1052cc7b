# The runner image: the environment candidate pipelines run in (SPEC §6).
# Normal users build it on python:3.11-slim; on a machine with no registry the grader builds it on
# an offline Debian base made with debootstrap (scripts/ensure_docker.sh) and passes BASE_IMAGE.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MPLBACKEND=Agg \
    HOME=/tmp

# Wheels are downloaded on the host (the build may have no network): see sandbox/image.py.
COPY sandbox/runner-requirements.txt /opt/grader/runner-requirements.txt
COPY build/wheelhouse /tmp/wheelhouse
RUN set -eu; \
    if ! ldconfig -p | grep -q libgomp.so.1; then \
        apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*; \
    fi; \
    python3 -m venv /opt/venv; \
    if ls /tmp/wheelhouse/*.whl >/dev/null 2>&1; then \
        pip install --no-cache-dir --no-index --find-links /tmp/wheelhouse -r /opt/grader/runner-requirements.txt; \
    else \
        pip install --no-cache-dir -r /opt/grader/runner-requirements.txt; \
    fi; \
    rm -rf /tmp/wheelhouse; \
    (getent passwd 1000 >/dev/null || useradd --uid 1000 --user-group --no-create-home --home-dir /tmp runner)

COPY sandbox/entry.sh /opt/grader/entry.sh
# Loads the grader's in-sandbox hook (tracer, installed requirements) when AIE_HOOK is set.
COPY sandbox/aie_hook.pth /opt/grader/aie_hook.pth
RUN cp /opt/grader/aie_hook.pth "$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/"
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["/bin/bash", "/opt/grader/entry.sh"]
CMD ["bash", "run.sh"]
