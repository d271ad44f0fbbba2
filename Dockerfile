# quizapp: gunicorn behind any load balancer, PostgreSQL via DATABASE_URL.
# BASE is overridable so the image can be built from a locally made base where no
# registry is reachable (see `make docker-check`).
ARG BASE=python:3.13-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    WEB_CONCURRENCY=3 \
    PORT=8000 \
    FORWARDED_ALLOW_IPS=127.0.0.1,::1

WORKDIR /app

# Dependencies first, in their own layer: code changes do not reinstall them.
COPY requirements.txt ./
RUN python3 -m venv /opt/venv && pip install -r requirements.txt

COPY . .
# Build steps need settings but no secrets: a throwaway key for these commands only.
# compilemessages turns locale/*/*.po into the .mo files Django reads (they are not in git);
# it needs gettext's msgfmt, installed and purged within this one layer so the image keeps none of it.
# Debian's gettext is not pinned: its exact version changes with every base image rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && SECRET_KEY=build-only DEBUG=false python3 manage.py compilemessages \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/* \
    && SECRET_KEY=build-only DEBUG=false python3 manage.py collectstatic --no-input \
    && python3 -m compileall -q accounts exams insights questions quizapp

# A fixed numeric user, so orchestrators can verify it is not root.
# Images of imported questions (MEDIA_ROOT) live on a volume the app user can write;
# the status files of background imports too (questions/imports.py).
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin quizapp \
    && mkdir -p /data/media && chown 10001 /data/media
ENV MEDIA_ROOT=/data/media
VOLUME ["/data/media"]
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4)"]

# Migrations run as a separate one-off command (docker run … python3 manage.py migrate).
# gunicorn believes X-Forwarded-* only from FORWARDED_ALLOW_IPS: set it to the load balancer's
# address, and TRUSTED_PROXY_HOPS to the number of proxies that append to X-Forwarded-For
# (README, "Behind a proxy"). With WEB_CONCURRENCY > 1, gunicorn.conf.py requires REDIS_URL.
CMD ["sh", "-c", "exec gunicorn quizapp.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY} --no-control-socket --access-logfile - --forwarded-allow-ips=\"${FORWARDED_ALLOW_IPS}\""]
