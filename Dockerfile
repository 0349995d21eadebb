# The tracker's image: web (gunicorn), worker and beat all run from it. See docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app
COPY requirements.lock ./
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir uv==0.13.9 \
    && uv pip sync --require-hashes --python /opt/venv/bin/python requirements.lock

COPY . .
# collectstatic needs settings but no secrets; this key never leaves the build step.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 tracker && mkdir -p /app/var && chown tracker /app/var
USER tracker

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
