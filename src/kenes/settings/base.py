"""Every setting Kenes has. Production differs from the demo only through environment
variables (see the configuration table in README.md)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = SRC_DIR.parent.parent

env = environ.Env()

VAR_DIR = Path(env.str("KENES_VAR_DIR", default=str(PROJECT_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "kenes.accounts",  # before allauth: its templates/allauth/* replace allauth's layout and elements
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    # core
    "kenes.common",
    "kenes.audit",
    "kenes.territories",
    "kenes.organizations",
    "kenes.notifications",
    "kenes.moderation",
    "kenes.obligations",
    # modules (they never import each other; see the import-linter contracts)
    "kenes.petitions",
    "kenes.appeals",
    "kenes.budgeting",
    "kenes.registry",
    "kenes.grants",
    "kenes.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kenes.common.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "kenes.urls"
WSGI_APPLICATION = "kenes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kenes.common.context_processors.kenes",
                "kenes.notifications.context_processors.unread_count",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# The demo runs on SQLite under var/; production and CI set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kenes.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that looks at the socket before it pings (kenes.common.postgresql).
    DATABASES["default"]["ENGINE"] = "kenes.common.postgresql"
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        # Server-side parameters, and a statement run five times on a connection is prepared: parsed
        # and planned once (the signing path's two statements cost half the database CPU). Set
        # DB_PREPARED_STATEMENTS=false behind a transaction-mode pooler without prepared-statement
        # support (README, "Configuration").
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url(
        "CACHE_URL",
        default=f"{REDIS_URL.replace('redis://', 'rediscache://')}" if REDIS_URL else "locmemcache://",
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Fails open when Redis is down: pages and signing go on (kenes.common.cache, RELIABILITY F4).
    CACHES["default"]["BACKEND"] = "kenes.common.cache.ResilientRedisCache"
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Petitions: signatures are folded into the counts every interval, over a window lagging this far
# behind the database's clock (docs/petitions.md, "Counting").
PETITIONS_COUNT_INTERVAL_SECONDS = env.int("PETITIONS_COUNT_INTERVAL_SECONDS", default=10)
PETITIONS_COUNT_LAG_SECONDS = env.int("PETITIONS_COUNT_LAG_SECONDS", default=5)
CELERY_BEAT_SCHEDULE = {
    "audit-seal": {"task": "kenes.audit.tasks.audit_seal_task", "schedule": 60.0},
    "notifications-send-pending": {
        "task": "kenes.notifications.tasks.send_pending_emails_task",
        "schedule": 60.0,
    },
    # The hearing loop: hourly (cheap, idempotent, catches up after an outage) and daily.
    "obligations-mark-overdue": {
        "task": "kenes.obligations.tasks.obligations_mark_overdue_task",
        "schedule": crontab(minute=5),
    },
    "obligations-escalate-overdue": {
        "task": "kenes.obligations.tasks.obligations_escalate_overdue_task",
        "schedule": crontab(minute=20),
    },
    "obligations-milestones-overdue": {
        "task": "kenes.obligations.tasks.milestones_mark_overdue_task",
        "schedule": crontab(minute=35),
    },
    "petitions-count": {
        "task": "kenes.petitions.tasks.signatures_count_task",
        "schedule": float(PETITIONS_COUNT_INTERVAL_SECONDS),
        "options": {"expires": float(PETITIONS_COUNT_INTERVAL_SECONDS)},
    },
    "petitions-reconcile": {
        "task": "kenes.petitions.tasks.signatures_reconcile_task",
        "schedule": crontab(minute=40),
    },
    "petitions-close-expired": {
        "task": "kenes.petitions.tasks.petitions_close_expired_task",
        "schedule": crontab(minute="*/5"),
    },
    # Every 5 minutes: close the grant calls whose deadline has passed.
    "grants-close-expired": {
        "task": "kenes.grants.tasks.calls_close_expired_task",
        "schedule": crontab(minute="*/5"),
    },
    # Hourly: remind NGOs whose application is still a draft three days before the deadline (once).
    "grants-remind-drafts": {
        "task": "kenes.grants.tasks.drafts_remind_task",
        "schedule": crontab(minute=20),
    },
    # Daily at 02:10 UTC: flag NGOs that stopped reporting, lift the flag from those that report again.
    "registry-flag-non-reporting": {
        "task": "kenes.registry.tasks.ngos_flag_non_reporting_task",
        "schedule": crontab(hour=2, minute=10),
    },
    "budgeting-start-review": {
        "task": "kenes.budgeting.tasks.proposals_start_review_task",
        "schedule": crontab(minute=50),
    },
    # 03:00 / 03:30 UTC = 08:00 / 08:30 in Almaty, 09:00 / 09:30 in Bishkek.
    "obligations-reminders": {
        "task": "kenes.obligations.tasks.obligations_send_reminders_task",
        "schedule": crontab(hour=3, minute=0),
    },
    "obligations-digests": {
        "task": "kenes.obligations.tasks.officers_send_digests_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # 01:00 UTC is 06:00 in Almaty and 07:00 in Bishkek.
    "notifications-daily-digest": {
        "task": "kenes.notifications.tasks.daily_digest_task",
        "schedule": crontab(hour=1, minute=0),
    },
}

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a mail scanner following the link cannot confirm it
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kenes] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https")
ACCOUNT_RATE_LIMITS: dict[str, str | bool] = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "kenes.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kenes"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 7)
KENES_IDENTITY_HASH_KEY = env.str("KENES_IDENTITY_HASH_KEY", default=SECRET_KEY)
KENES_VERIFICATION_PROVIDERS = ["kenes.accounts.verification.AdministratorProvider"]

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="kk")
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("ky", _("Kyrgyz")),
    ("en", _("English")),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru", "kk", "ky", "en")}
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kenes <noreply@kenes.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Logging ---------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Kenes -----------------------------------------------------------------------------------------
# Where the real classifiers (KATO, SOATE) are read from; see docs/territories.md.
KENES_DATA_DIR = Path(env.str("KENES_DATA_DIR", default=str(PROJECT_DIR.parent / "shared" / "data")))
# Absolute links in e-mails sent outside a request (jobs, commands).
KENES_BASE_URL = env.str("KENES_BASE_URL", default="http://127.0.0.1:8000")
KENES_PAGE_SIZE = 20
KENES_MAX_PAGE_SIZE = 100
KENES_AUDIT_SEAL_BATCH = env.int("KENES_AUDIT_SEAL_BATCH", default=10_000)
# Reminders to the responsible body, in working days before a deadline (docs/obligations.md).
KENES_REMINDER_LEAD_DAYS = tuple(env.list("KENES_REMINDER_LEAD_DAYS", cast=int, default=[3, 1]))
# Benchmark-only endpoints (bench/petitions_bench.py): never on in production.
KENES_BENCH_ENDPOINTS = env.bool("KENES_BENCH_ENDPOINTS", default=False)
# Open data of grants (docs/grants.md, "Open data"): the publisher's registered OCDS and 360Giving
# prefixes. The defaults are placeholders, deliberately not in the registered form.
KENES_OCDS_PREFIX = env.str("KENES_OCDS_PREFIX", default="ocds-unregistered-kenes")
KENES_360GIVING_PREFIX = env.str("KENES_360GIVING_PREFIX", default="360G-unregistered-kenes")
KENES_OPEN_DATA_PUBLISHER = env.str("KENES_OPEN_DATA_PUBLISHER", default="Kenes")
# NGO registry (docs/registry.md): reports for year Y are due by (month, day) of Y+1 unless a
# ReportingDeadline row says otherwise; an NGO with no report for this many closed years is flagged.
REGISTRY_REPORT_DUE = (3, 31)
REGISTRY_NON_REPORTING_YEARS = env.int("REGISTRY_NON_REPORTING_YEARS", default=2)
