# syntax=docker/dockerfile:1
#
# iPGA-R production image: gunicorn serves the web app (whitenoise serves /static/), and the same
# image runs the Celery worker and beat (see docker-compose.yml).
#
#   docker build -t ipgar .
#   docker run --env-file .env -p 8000:8000 ipgar

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- Build stage: resolve and install the dependencies into a self-contained virtualenv --------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY . .
# The lock file pins every transitive dependency; pyproject.toml pins the direct ones.
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -c requirements.lock .
# deduce (Woo redaction) builds its lookup tables on first use: in the image, not per container.
RUN python -c "from deduce import Deduce; Deduce()"

# --- Runtime stage ------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# WeasyPrint renders the letters with Pango and HarfBuzz; poppler-utils (pdftotext, pdftoppm)
# helps to inspect the PDFs it makes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        poppler-utils \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 ipgar \
    && useradd --system --uid 10001 --gid ipgar --create-home --home-dir /home/ipgar \
        --shell /usr/sbin/nologin ipgar

# PYTHONPATH puts the code in /app ahead of the copy pip installed into the virtualenv, so that
# BASE_DIR (templates/, static/, var/) is /app whichever command starts Python.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=ipgar.settings \
    STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/app/var/private \
    GUNICORN_WORKERS=2

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The code and the collected static files stay owned by root: the app user only writes in var/.
COPY . .

# The throwaway key only lets the settings load; nothing signed at build time survives.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/private \
    && chown -R ipgar:ipgar /app/var

USER 10001:10001

EXPOSE 8000

# Plain HTTP to the loopback address: settings exempt /health/ from the HTTPS redirect. The Host
# header is the first of ALLOWED_HOSTS, so that host validation does not answer 400.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); host = 'localhost' if host in ('', '*') else host; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/health/', headers={'Host': host}), timeout=8)"]

# Workers, threads and timeouts: gunicorn.conf.py (explained there; GUNICORN_WORKERS and
# GUNICORN_THREADS override).
CMD ["gunicorn", "ipgar.wsgi:application", "--config=gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--error-logfile", "-"]
