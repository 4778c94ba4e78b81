# Image for the web app, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

# PYTHONPATH: import config/ and dialogue/ from /app (next to templates/ and
# fixtures/), not from the copy pip puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_STATIC_ROOT=/app/var/static \
    DJANGO_MEDIA_ROOT=/data/uploads

WORKDIR /app

# PDF reports: WeasyPrint's Pango and HarfBuzz (the Japanese font ships with the app).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

# Only what the app needs: never .env, .venv or a local db.sqlite3.
COPY pyproject.toml README.md manage.py ./
COPY config ./config
COPY dialogue ./dialogue
COPY templates ./templates
COPY fixtures ./fixtures
RUN pip install .

# Static files are collected at build time; the base settings need no secret or database.
RUN DJANGO_SETTINGS_MODULE=config.settings.base python manage.py collectstatic --noinput \
    && mkdir -p /data/uploads \
    && chown -R app:app /data/uploads

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "python:config.gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--no-control-socket"]
