# Deskpilot in one image: the web app and the API on port 8000.
#
#   docker build -t deskpilot .          (or: podman build -t deskpilot .)
#   docker compose up                    (with PostgreSQL: see compose.yaml and the README)
#
# Each stage runs the commands CI runs (scripts/common.sh, tests/packaging/test_wheel.py):
# `npm ci && npm run build` for the static export, `uv build --wheel` for the wheel that
# carries it, `pip install <wheel>` into a virtual environment.
#
# BASE_IMAGE is the Python runtime (any Debian-like image with python3 ≥ 3.11 and its venv
# module); NODE_IMAGE builds the web app (Node ≥ 20.19 with npm). Both may be images made
# locally, e.g. from debootstrap and `podman import`, where no registry is reachable.
ARG BASE_IMAGE=python:3.12-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. The web app: Next.js static export in frontend/out.
FROM ${NODE_IMAGE} AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

# 2. The wheel, with the web app inside the package (hatch_build.py).
FROM ${BASE_IMAGE} AS wheel
RUN python3 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir --quiet uv
WORKDIR /src
COPY pyproject.toml hatch_build.py uv.lock README.md ./
COPY backend/ backend/
COPY --from=web /src/frontend/out/ frontend/out/
RUN /opt/uv/bin/uv build --wheel --out-dir /dist

# 3. The runtime: the wheel in a virtual environment, run by an unprivileged user.
FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/deskpilot/bin:$PATH \
    DESKPILOT_DATA_DIR=/var/lib/deskpilot
COPY --from=wheel /dist/ /tmp/dist/
RUN python3 -m venv /opt/deskpilot \
    && /opt/deskpilot/bin/pip install --no-cache-dir --quiet /tmp/dist/*.whl \
    && rm -rf /tmp/dist \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/deskpilot --create-home \
        --shell /usr/sbin/nologin deskpilot
# Never root: PostgreSQL refuses to run as root, and the app needs no privileges.
USER deskpilot
WORKDIR /var/lib/deskpilot
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]
CMD ["deskpilot", "serve", "--host", "0.0.0.0", "--port", "8000"]
