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
COPY sandbox/runner-requirements.txt sandbox/static-requirements.txt /opt/grader/
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
    python3 -m venv /opt/aie-static; \
    if ls /tmp/wheelhouse/*.whl >/dev/null 2>&1; then \
        /opt/aie-static/bin/pip install --no-cache-dir --no-index --find-links /tmp/wheelhouse -r /opt/grader/static-requirements.txt; \
    else \
        /opt/aie-static/bin/pip install --no-cache-dir -r /opt/grader/static-requirements.txt; \
    fi; \
    /opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
        > "$(/opt/aie-static/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/aie-runner.pth"; \
    rm -rf /tmp/wheelhouse; \
    (getent passwd 1000 >/dev/null || useradd --uid 1000 --user-group --no-create-home --home-dir /tmp runner)

COPY sandbox/entry.sh /opt/grader/entry.sh
# Every interpreter imports `encodings` at start-up, whatever its flags (-S, -E, -I) or environment:
# appended there, the grader's hook (tracer, installed requirements) loads in every Python process of a
# grading run (those with /opt/aie-run/run.json mounted) and cannot be switched off from inside.
COPY sandbox/aie_boot.py /opt/grader/aie_boot.py
RUN set -eu; \
    init="$(/opt/venv/bin/python -c 'import encodings, os; print(os.path.join(os.path.dirname(encodings.__file__), "__init__.py"))')"; \
    cat /opt/grader/aie_boot.py >> "$init"; \
    /opt/venv/bin/python -m py_compile "$init"; \
    /opt/venv/bin/python -S -c 'import encodings, sys; assert "_aie_boot" not in vars(encodings)'
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["/bin/bash", "/opt/grader/entry.sh"]
CMD ["bash", "run.sh"]
