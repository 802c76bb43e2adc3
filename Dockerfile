# The app in one container: one Streamlit process on port 8501. Run several behind a proxy
# with session affinity (compose.yaml, deploy/k8s); see the README's hosting section.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BASE_PATH=""

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /srv/app

# Exactly the locked packages (pinned, with hashes); this layer changes only with the lock.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
# Leaflet and the downloads into ./static at build time: the image serves them as they are
# and every replica has the same content-hashed files.
RUN python -m explorer.assets && python -m explorer.downloads && chown -R app:app static

USER app
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
    CMD python -c "import os, urllib.request; b = os.environ.get('BASE_PATH', '').strip('/'); urllib.request.urlopen('http://127.0.0.1:8501/' + (b + '/' if b else '') + '_stcore/health', timeout=2)"

# BASE_PATH (e.g. "explorer") serves the app under /explorer/ behind a proxy.
CMD ["sh", "-c", "exec streamlit run streamlit_app.py --server.port 8501 --server.address 0.0.0.0 --server.baseUrlPath \"$BASE_PATH\""]
