# Deal Coach: the Slack bot, its scheduler and its migrations in one image.
#
#   docker build -t dealcoach .
#   docker run -p 3000:3000 --env-file .env dealcoach
#
# Set DATABASE_URL to PostgreSQL (postgresql+psycopg://…) in production; the default
# SQLite file lives in /app/data, so mount a volume there if you keep it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system dealcoach \
    && useradd --system --gid dealcoach --home-dir /app --no-create-home dealcoach

# Dependencies and the package first, so editing config/ does not reinstall them.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install ".[postgres]" && rm -rf build ./*.egg-info

COPY alembic.ini ./
COPY migrations ./migrations
COPY config ./config

RUN mkdir -p /app/data && chown dealcoach:dealcoach /app/data

ENV DEALCOACH_CONFIG_DIR=/app/config \
    DATABASE_URL=sqlite:////app/data/dealcoach.db \
    PORT=3000

USER dealcoach

EXPOSE 3000

# The slim image has no curl: ask /healthz with Python's standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

CMD ["sh", "-c", "dealcoach db upgrade && exec dealcoach serve"]
