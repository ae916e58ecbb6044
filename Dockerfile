# Deal Coach: the Slack bot, its scheduler and its migrations in one image.
#
#   docker build -t dealcoach .
#   docker run --rm --env-file .env dealcoach dealcoach db upgrade   # once per release
#   docker run -p 3000:3000 --env-file .env dealcoach
#
# compose.yaml runs it for production: PostgreSQL, the migration as its own step, two
# web replicas behind one port and one worker. Set DATABASE_URL to PostgreSQL
# (postgresql+psycopg://…) in production; the default SQLite file lives in /app/data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system dealcoach \
    && useradd --system --gid dealcoach --home-dir /app --no-create-home dealcoach

# Pinned dependencies in their own layer: it is rebuilt only when requirements.lock
# changes, not on every change to the code.
COPY requirements.lock ./
RUN pip install --no-deps --require-hashes -r requirements.lock

# The package itself, without touching the pinned dependencies above; its bytecode is
# compiled here (PYTHONDONTWRITEBYTECODE stops only run-time writes), so a start does
# not compile 200-odd modules again (bench/startup.py measures it the same way).
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-deps --compile . && rm -rf build ./*.egg-info

COPY alembic.ini ./
COPY migrations ./migrations
COPY config ./config

RUN mkdir -p /app/data && chown dealcoach:dealcoach /app/data

ENV DEALCOACH_CONFIG_DIR=/app/config \
    DATABASE_URL=sqlite:////app/data/dealcoach.db \
    LOG_FORMAT=json \
    PORT=3000

USER dealcoach

EXPOSE 3000

# Alive is /healthz; ready (database at the schema this code needs) is /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

# Migrations are a separate command (`dealcoach db upgrade`, under a database lock), not
# part of every replica's start. SIGTERM drains requests in flight and exits 0.
STOPSIGNAL SIGTERM
CMD ["dealcoach", "serve"]
