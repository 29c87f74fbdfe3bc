# Production image: one image for web (gunicorn), worker and beat; see docker-compose.yml.

# --- front-end assets: govuk-frontend compiled with Sass ---
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

# --- the application ---
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango; LibreOffice converts Word and ODT documents for agenda packs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
        libreoffice-writer-nogui libreoffice-calc-nogui \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 permanence
WORKDIR /app
COPY pyproject.toml requirements.lock ./
RUN pip install --constraint requirements.lock .
COPY --chown=permanence:permanence . .
COPY --from=assets --chown=permanence:permanence /build/static/build static/build
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && mkdir -p var/media var/submissions && chown -R permanence:permanence var
USER permanence
EXPOSE 8000
# Three processes of four threads: measured against three sync workers and 2x4 and 4x2 threads
# at 10,000 children (README, Performance). A thread's long request (an export at 50,000
# children) is not killed by the 30-second timeout, which a sync worker's would be.
CMD ["gunicorn", "permanence.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
