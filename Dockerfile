# syntax=docker/dockerfile:1
# Kindred — multi-stage image: CPU-only torch, non-root, data on a volume.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# torch first, pinned to the CPU build, exactly as the Makefile does (never the multi-GB CUDA wheel).
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    KINDRED_DATA_DIR=/data \
    KINDRED_HTTP_PORT=3000
RUN useradd --create-home --uid 10001 kindred && mkdir -p /data /app && chown kindred /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=kindred index ./index
COPY --chown=kindred config ./config
USER kindred
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"KINDRED_HTTP_PORT\",\"3000\")}/healthz', timeout=4)" || exit 1
ENTRYPOINT ["kindred"]
CMD ["run"]
