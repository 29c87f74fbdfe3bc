"""Settings, read from the environment (and an optional .env file beside manage.py).

Every variable here is listed with its default in the README's configuration table.
With nothing set, the project runs on an SQLite file and a filesystem Celery broker,
so `make run` needs no installed services.
"""

import shutil
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
COUNCIL_NAME = env("COUNCIL_NAME", default="Demo Council")
# The address people reach the service at: emails link back to it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SERVICE_NAME = "Permanence panel"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "permanence",
    "tracker",
    "agendas",
    "minutes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "permanence.signin.middleware.SessionLimitsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "permanence.signin.middleware.TwoFactorRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "permanence.middleware.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "permanence.urls"
WSGI_APPLICATION = "permanence.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "permanence.context_processors.service",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'permanence.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, worker and scheduler share one SQLite file in development:
    # WAL lets readers and one writer work at once, IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection kept between requests is checked before it is reused, so a database restart
# or a dropped connection costs the next request nothing but a reconnect.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "permanence.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in, passwords and sessions (issue 14) -------------------------------------------------
# django-axes watches every password check (it must come first); ModelBackend signs in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout: 5 failed sign-ins for one email address from one IP address within 15 minutes
# lock that pair for 15 minutes (from the last failure). An address with no account locks
# the same way, so the lockout tells nothing about who has an account. Administrators
# unlock a person from their page in People.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The audit table records every sign-in, sign-out and failure: one record, not two.
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "permanence.signin.lockout.username"
AXES_LOCKOUT_CALLABLE = "permanence.signin.views.locked_out"
# The client's address, for the lockout as for the audit: REMOTE_ADDR, or behind the
# proxies named in TRUSTED_PROXY_IPS (below) the address they were given.
AXES_CLIENT_IP_CALLABLE = "permanence.audit.services.client_ip"
# Two-factor sign-in (django-otp): required for these roles, open to everyone.
OTP_TOTP_ISSUER = COUNCIL_NAME + " permanence panel"
TWO_FACTOR_RECOVERY_CODES = 10
# Sessions end after this long without a request, and this long after signing in
# whatever happens; exporting the whole tracker or downloading a whole pack asks for the
# password again when the last sign-in is older than SIGN_IN_AGAIN_MINUTES.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SIGN_IN_AGAIN_MINUTES = env.int("SIGN_IN_AGAIN_MINUTES", default=15)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# ---------------------------------------------------------------------------------------------

# Single sign-on with the council's Microsoft Entra ID (or any OpenID Connect issuer), by
# mozilla-django-oidc. Off unless OIDC_RP_CLIENT_ID is set: then email and password stay the
# only way in, as for `make run`. On, the sign-in page offers "Sign in with your council
# account" above the password form. It signs in only people an administrator added
# (permanence/oidc.py): it never creates accounts or gives roles.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
SINGLE_SIGN_ON = bool(OIDC_RP_CLIENT_ID)
# The library's views, always at /oidc/, so the URLs are the same whether or not it is on:
# off, they answer 404.
OIDC_AUTHENTICATE_CLASS = "permanence.oidc.SignInWithCouncilAccountView"
OIDC_CALLBACK_CLASS = "permanence.oidc.CouncilAccountCallbackView"
if SINGLE_SIGN_ON:
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
    # With Entra the directory (tenant) id is enough: its URLs are fixed per tenant, so none
    # is fetched at start-up, and an ID token from any other tenant is refused (Entra signs
    # every tenant's tokens with the same keys). Another issuer: set each URL; without a
    # tenant, a missing one stops the service from starting.
    OIDC_ENTRA_TENANT_ID = env("OIDC_ENTRA_TENANT_ID", default="")
    _entra = f"https://login.microsoftonline.com/{OIDC_ENTRA_TENANT_ID}"

    def _issuer_url(name, entra_url):
        return env(name, default=entra_url) if OIDC_ENTRA_TENANT_ID else env(name)

    OIDC_OP_ISSUER = _issuer_url("OIDC_OP_ISSUER", f"{_entra}/v2.0")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _issuer_url(
        "OIDC_OP_AUTHORIZATION_ENDPOINT", f"{_entra}/oauth2/v2.0/authorize"
    )
    OIDC_OP_TOKEN_ENDPOINT = _issuer_url("OIDC_OP_TOKEN_ENDPOINT", f"{_entra}/oauth2/v2.0/token")
    OIDC_OP_JWKS_ENDPOINT = _issuer_url("OIDC_OP_JWKS_ENDPOINT", f"{_entra}/discovery/v2.0/keys")
    OIDC_OP_USER_ENDPOINT = _issuer_url(
        "OIDC_OP_USER_ENDPOINT", "https://graph.microsoft.com/oidc/userinfo"
    )
    # A slow issuer must not hold a web worker for long.
    OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
    OIDC_USE_PKCE = True
    OIDC_CREATE_USER = False
    AUTHENTICATION_BACKENDS.append("permanence.oidc.CouncilAccountBackend")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["permanence.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"
# Submissions hold children's records: never under MEDIA_ROOT, never given a URL, only
# sent through a view that checks who is asking. Replace this entry with django-storages'
# S3 backend when web and worker processes run on different machines.
STORAGES["submissions"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": env.path("SUBMISSIONS_ROOT", default=str(VAR_DIR / "submissions")),
        "base_url": None,
    },
}
SUBMISSION_MAX_UPLOAD_MB = env.int("SUBMISSION_MAX_UPLOAD_MB", default=25)
# LibreOffice turns Word, OpenDocument and Excel documents into PDF for the agenda pack;
# without it those documents are a page saying they could not be included.
LIBREOFFICE_PATH = env("LIBREOFFICE_PATH", default=shutil.which("soffice") or "")

# Hostile documents and packs that die (issue 14, track "docs") -----------------------------
# A request body over this is refused with 413 before Django reads it
# (permanence/upload_limit.py): DATA_UPLOAD_MAX_MEMORY_SIZE does not count file uploads, so
# without it a 200 MB body is read in full and only then refused. The margin is for the
# form's other fields and the multipart framing around a file at the upload limit.
REQUEST_BODY_MAX_MB = env.int("REQUEST_BODY_MAX_MB", default=SUBMISSION_MAX_UPLOAD_MB + 1)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "permanence.upload_limit.RequestBodyLimitMiddleware",
)
# A Word, Excel or OpenDocument file is a zip: its directory says how large it unpacks. One
# that unpacks past either limit is refused at upload (a zip bomb held LibreOffice at 2.6 GB).
DOCUMENT_MAX_UNPACKED_MB = env.int("DOCUMENT_MAX_UNPACKED_MB", default=250)
DOCUMENT_MAX_UNPACK_RATIO = env.int("DOCUMENT_MAX_UNPACK_RATIO", default=100)
# Each LibreOffice conversion runs with no network, in its own folder, under these limits
# (agendas/packing.py), and is stopped after the wall-clock timeout.
LIBREOFFICE_MEMORY_LIMIT_MB = env.int("LIBREOFFICE_MEMORY_LIMIT_MB", default=1536)
LIBREOFFICE_CPU_LIMIT_SECONDS = env.int("LIBREOFFICE_CPU_LIMIT_SECONDS", default=90)
LIBREOFFICE_TIMEOUT_SECONDS = env.int("LIBREOFFICE_TIMEOUT_SECONDS", default=120)
# Every task is stopped after these (cookiecutter-django's base.py): the soft limit raises
# inside the task, so a pack says why it failed; the hard one ends the worker process, and
# LibreOffice with it. The periodic scan marks a job (a pack, an import) failed once it has
# been running for longer than the hard limit, or waiting for JOB_NEVER_STARTED_MINUTES.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=20 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=25 * 60)
# --------------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# Redis when REDIS_URL is set; otherwise a broker and cache on the local disk,
# which every process of a one-machine `make run` can share.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A page that queues an email or a pack tries the broker once, briefly: with Redis down
    # the email waits in the outbox for the drain and the pack says it could not start.
    # Without `max_retries`, each email waited out kombu's reconnection retries for
    # `broker_connection_timeout` (a booking took 12 s; circulating an agenda passed
    # gunicorn's 30 s). The worker reconnects by its own `broker_connection_retry`, not these.
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 0,
        "socket_connect_timeout": 0.5,
        "socket_timeout": 2,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Made here, so any process (web, worker, a lone runserver) can queue a task.
    (CELERY_BROKER_DIR / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Background jobs (permanence/jobs): one still waiting after this long is failed, with the
# reason; uploaded files are deleted this long after their job and its follow-ups finish.
JOB_NEVER_STARTED_MINUTES = env.int("JOB_NEVER_STARTED_MINUTES", default=60)
JOB_FILES_KEEP_HOURS = env.int("JOB_FILES_KEEP_HOURS", default=24)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "permanence.tasks.heartbeat", "schedule": 60.0},
    # Every quarter of an hour from 7 in the morning to 7 at night: notices go out early
    # on their working day, and the outbox drains soon after the broker comes back.
    "scan": {
        "task": "permanence.tasks.scan",
        "schedule": crontab(minute="*/15", hour="7-19"),
    },
    # Expired sessions are removed every night, so a stolen cookie's session is not kept.
    "clear-sessions": {
        "task": "permanence.tasks.clear_sessions",
        "schedule": crontab(minute=30, hour=2),
    },
}

# Timeliness (tracker/measures.py): the national figures each local measure is read beside.
# The DfE adoption scorecard's thresholds, in days: A10, entering care to moving in with the
# adoptive family (426 days, 14 months); A2, placement order to the match (121 days, 4 months).
MEASURE_A10_THRESHOLD_DAYS = env.int("MEASURE_A10_THRESHOLD_DAYS", default=426)
MEASURE_A2_THRESHOLD_DAYS = env.int("MEASURE_A2_THRESHOLD_DAYS", default=121)
# Care proceedings finish within 26 weeks (Children Act 1989 s32(1)(a)): every case, and so
# an average of no more than 26 weeks.
MEASURE_PROCEEDINGS_WEEKS = env.int("MEASURE_PROCEEDINGS_WEEKS", default=26)
MEASURE_PROCEEDINGS_WITHIN_TARGET_PERCENT = env.int(
    "MEASURE_PROCEEDINGS_WITHIN_TARGET_PERCENT", default=100
)
# A permanence plan by the second review (statutory guidance on permanence, 2015): every child.
MEASURE_PLAN_BY_SECOND_REVIEW_TARGET_PERCENT = env.int(
    "MEASURE_PLAN_BY_SECOND_REVIEW_TARGET_PERCENT", default=100
)
# Every tracked child discussed within their panel's interval (the panels' terms of reference).
MEASURE_DISCUSSED_AT_PANEL_TARGET_PERCENT = env.int(
    "MEASURE_DISCUSSED_AT_PANEL_TARGET_PERCENT", default=100
)

# The council's proxies or load balancers in front of the service: the audit and the lockout
# take the client's address from X-Forwarded-For only when the request comes through these.
TRUSTED_PROXY_IPS = env.list("TRUSTED_PROXY_IPS", default=[])
# Changes recorded in the audit whoever makes them (permanence/audit/receivers.py): each
# model, with the path from it to its child (None: about no one child).
AUDIT_CHANGES_OF = {
    "minutes.Decision": "booking__child",
    "minutes.Minutes": None,
    # A child's answers to their panel's planning questions (Somerset 3.1).
    "agendas.PlanningAnswer": "child",
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# GOV.UK Notify, which many councils use, instead of SMTP: an API key and the id of a
# Notify email template whose subject is ((subject)) and body ((body)).
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = env("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", default="")
if GOVUK_NOTIFY_API_KEY:
    EMAIL_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"
# Notify takes no attachments: a meeting's .ics invitation is then left off the email, and
# the person's calendar link (Your calendar) carries the meeting instead.
EMAIL_ATTACHMENTS = not GOVUK_NOTIFY_API_KEY
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="permanence-panel@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO, and pikepdf its bridge starting.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # django-axes announces its version and settings at every start.
        "axes": {"level": "WARNING"},
    },
}

# Security headers and HTTPS -----------------------------------------------------------------
# As cookiecutter-django's production.py: on unless DEBUG (which `make run` sets), each from
# the environment. TLS ends at the council's proxy or load balancer, which says so in
# X-Forwarded-Proto; the proxy must set that header itself, never pass on the browser's.
# `python manage.py check --deploy` prints nothing with these (tests/permanence/test_deploy.py).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG)
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's own health check asks over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the service's own files run: the two inline scripts in base.html carry the request's
# nonce, and nothing is inline otherwise (no style attributes, no event handlers).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # govuk-frontend's CSS draws some icons as data: images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# No page needs the camera, microphone, location and the like; the case note's Copy button
# writes to the clipboard.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "clipboard-read": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "screen-wake-lock": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# The outbox (issue 17, track outbox): sent emails are deleted this many days after they
# were written (and after the day they were for), every night. Waiting and failed emails
# are kept. It must be more than the scan looks back (permanence/outbox.py checks).
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=365)
CELERY_BEAT_SCHEDULE["purge-sent-emails"] = {
    "task": "permanence.tasks.purge_sent_emails",
    "schedule": crontab(minute=45, hour=2),
}
# PostgreSQL compiles (JIT) any query its planner costs above jit_above_cost, and costs more
# than it saves on a page's short queries: at 50,000 children the tracker's flag counts took
# 69 ms with it and 41 ms without, and the bookings page, scoped to one person, spent 0.15
# to 3 seconds compiling queries that then ran in 15 ms. Off for the app's connections;
# SQLite has no such option.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
