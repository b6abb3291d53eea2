"""Parcours settings: one module, every value read from the environment.

Development defaults are safe on a laptop (SQLite under ./var/, DEBUG off unless PARCOURS_DEBUG=1,
a throw-away secret key). With PARCOURS_ENV=production the process refuses
to start when a secret is missing.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from parcours.lib.crypto import encryption_keys_setting
from parcours.lib.csp import tile_origins
from parcours.lib.env import env_bool, env_int, env_list, env_str
from parcours.lib.storage_config import default_storage

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("PARCOURS_HOME", str(Path.cwd())))
VAR_DIR = BASE_DIR / "var"

PRODUCTION = env_str("PARCOURS_ENV", "development") == "production"

SECRET_KEY = env_str("PARCOURS_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("PARCOURS_SECRET_KEY (or PARCOURS_SECRET_KEY_FILE) is required")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

# Encryption at rest of confidential text (parcours.lib.crypto): "id:key" entries,
# the first encrypts, all decrypt. PARCOURS_ENCRYPTION_KEYS (comma-separated) or
# PARCOURS_ENCRYPTION_KEYS_FILE (one per line). Development without either gets a
# key generated once in var/encryption.keys; production refuses to start.
PARCOURS_ENCRYPTION_KEYS = encryption_keys_setting(
    env_str("PARCOURS_ENCRYPTION_KEYS"),
    production=PRODUCTION,
    dev_keys_file=VAR_DIR / "encryption.keys",
)
# Older enc1 values (not bound to their row) are read until converted; set to
# false once `rotate_key --check` passes (docs/encryption.md).
PARCOURS_ENCRYPTION_READ_ENC1 = env_bool("PARCOURS_ENCRYPTION_READ_ENC1", default=True)

# Key of the pseudonyms in exports for analysis (HMAC-SHA256), kept outside the
# database: PARCOURS_PSEUDONYM_KEY_FILE. Development generates var/pseudonym.key;
# production refuses to export without it.
PARCOURS_PSEUDONYM_KEY_FILE = Path(
    env_str("PARCOURS_PSEUDONYM_KEY_FILE", str(VAR_DIR / "pseudonym.key"))
)

# Off unless asked for (PARCOURS_DEBUG=1), the demo included: error pages are
# the app's own and never show a stack trace, the URL list or a setting.
DEBUG = env_bool("PARCOURS_DEBUG", default=False)
ALLOWED_HOSTS = env_list("PARCOURS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PARCOURS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",  # its system checks catch settings of the 3.x format
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # serves its Swagger UI files locally (no CDN on a field laptop)
    "django_tasks",
    "django_tasks_db",
    "parcours.accounts",
    "parcours.org",
    "parcours.access",
    "parcours.audit",
    "parcours.people",
    "parcours.care",
    "parcours.customfields",
    "parcours.agenda",
    "parcours.daily",
    "parcours.quality",
    "parcours.reporting",
    "parcours.dossier",
    "parcours.stock",
    "parcours.cases",
    "parcours.demo",
    "parcours.vault",
    "parcours.ops",
    "parcours.meal",
    "parcours.feedback",
    "parcours.imports",
    "parcours.gdpr",
    "parcours.network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "parcours.vault.middleware.UnreadableValueMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "parcours.accounts.middleware.TwoFactorMiddleware",
    "parcours.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parcours.ops.middleware.SecurityHeadersMiddleware",
    "parcours.ops.middleware.SessionLifetimeMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "parcours.urls"
WSGI_APPLICATION = "parcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "parcours.accounts.context.navigation",
                "parcours.reporting.context.navigation",
                "parcours.meal.context.navigation",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("PARCOURS_DB_CONN_MAX_AGE", 60))
    else:
        path = Path(env_str("PARCOURS_SQLITE_PATH", str(VAR_DIR / "parcours.sqlite3")))
        path.parent.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    if config["ENGINE"].endswith("sqlite3"):
        # WAL lets readers work while one writer writes; IMMEDIATE avoids
        # "database is locked" upgrades in the middle of a transaction.
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": _database()}
# A read replica for reports and exports (parcours.lib.replica; docs/scaling.md).
# Without PARCOURS_REPLICA_URL the alias still exists, as a second connection to
# the primary, so that the routing is tested with two aliases everywhere; reads
# go there only when PARCOURS_REPLICA is on.
PARCOURS_REPLICA = bool(env_str("PARCOURS_REPLICA_URL"))
DATABASES["replica"] = (
    dj_database_url.parse(
        env_str("PARCOURS_REPLICA_URL"), conn_max_age=env_int("PARCOURS_DB_CONN_MAX_AGE", 60)
    )
    if PARCOURS_REPLICA
    else dict(DATABASES["default"])
)
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["parcours.lib.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "parcours.accounts.passwords.NotTheCurrentPasswordValidator"},
]
# Sign-in lockout (parcours.accounts.lockout): failures per account name and
# per address within the window; offices behind one address may raise the
# second.
PARCOURS_LOCKOUT_ATTEMPTS = env_int("PARCOURS_LOCKOUT_ATTEMPTS", 5)
PARCOURS_LOCKOUT_ADDRESS_ATTEMPTS = env_int("PARCOURS_LOCKOUT_ADDRESS_ATTEMPTS", 5)
PARCOURS_LOCKOUT_MINUTES = env_int("PARCOURS_LOCKOUT_MINUTES", 15)
# Two-factor authentication (TOTP, django-otp; parcours.accounts.mfa):
# "required-for-clinical" (every account that can open a person's record must
# enrol; the others may), "all" (every account), "off" (no second factor; the
# demo, unless `parcours demo --mfa`).
PARCOURS_MFA = env_str("PARCOURS_MFA", "required-for-clinical")
if PARCOURS_MFA not in ("required-for-clinical", "all", "off"):
    raise ImproperlyConfigured("PARCOURS_MFA: required-for-clinical, all or off")
OTP_TOTP_ISSUER = env_str("PARCOURS_MFA_ISSUER", "Parcours")
# A one-time link to choose a password (an administrator's reset) works this long.
PASSWORD_RESET_TIMEOUT = env_int("PARCOURS_PASSWORD_LINK_HOURS", 24) * 3600
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The public feedback page's own catalogs (ar, ti, am, ps, prs, so), outside
# the languages of the interface: see feedback/public_texts.py.
LOCALE_PATHS.append(PACKAGE_DIR / "feedback" / "catalogs")
# Dates dd/mm/yyyy and a 24-hour clock in both languages (British English),
# decimal comma in French: parcours/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["parcours.formats"]
TIME_ZONE = env_str("PARCOURS_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("PARCOURS_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the app folders: no collectstatic step on a field laptop.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploaded files (protocols, import files), in the default storage (STORAGES
# below): never served as static files nor by a URL of the storage; each
# download goes through a view that checks the access policy.
MEDIA_ROOT = Path(env_str("PARCOURS_MEDIA_ROOT", str(VAR_DIR / "media")))
# Outgoing e-mail (reminders of overdue tasks, `parcours remind`): sent only
# when a host is configured.
EMAIL_HOST = env_str("PARCOURS_EMAIL_HOST", "")
EMAIL_PORT = env_int("PARCOURS_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("PARCOURS_EMAIL_FROM", "parcours@localhost")
STORAGES = {
    # Uploaded files: MEDIA_ROOT, or an S3 bucket (PARCOURS_STORAGE=s3 and
    # PARCOURS_S3_*: lib/storage_config.py, docs/scaling.md).
    "default": default_storage(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Shared tablets: a session ends after 30 minutes without a request (the
# cookie's age, renewed on every request) and 12 hours after sign-in at most
# (parcours.ops.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("PARCOURS_SESSION_IDLE_SECONDS", 30 * 60)
# Renewed by ops.middleware.SessionLifetimeMiddleware at most once a minute,
# not on every request (one write and commit less per page view).
SESSION_SAVE_EVERY_REQUEST = False
PARCOURS_SESSION_RENEW_SECONDS = env_int("PARCOURS_SESSION_RENEW_SECONDS", 60)
PARCOURS_SESSION_MAX_SECONDS = env_int("PARCOURS_SESSION_MAX_SECONDS", 12 * 3600)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = env_int("PARCOURS_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload list makes browsers use HTTPS even on the first visit; a
    # deployment on a shared parent domain may switch it off (PARCOURS_HSTS_PRELOAD=0).
    SECURE_HSTS_PRELOAD = env_bool("PARCOURS_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env_bool("PARCOURS_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    # Behind a reverse proxy that terminates TLS and says so.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Map tiles of the service directory (a {z}/{x}/{y} URL template); the list
# and the referral form work without them.
PARCOURS_MAP_TILES_URL = env_str(
    "PARCOURS_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)

# Content-Security-Policy (django-csp): nothing inline, nothing from another
# origin but the map tiles of the service directory. Templates carry no
# <script> body, no style="" and no on*= handler (tests/ops/test_csp.py keeps
# them so); page behaviour lives in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *tile_origins(PARCOURS_MAP_TILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Break-glass: openings per user in 24 hours before a reviewer (coordinator or
# medical referent of the person's project) must approve the next one.
PARCOURS_BREAK_GLASS_DAILY_LIMIT = env_int("PARCOURS_BREAK_GLASS_DAILY_LIMIT", 3)

# API bearer tokens: how long one stays valid after it is issued (its owner
# may choose fewer days, never more).
PARCOURS_API_TOKEN_DAYS = env_int("PARCOURS_API_TOKEN_DAYS", 90)
PARCOURS_PAGE_SIZE = 25

# Periodic jobs (parcours.ops.jobs) go through Django's tasks framework (the
# django-tasks backport) with its database backend: the queue is a table of
# the application's own database, SQLite or PostgreSQL; `parcours worker`
# queues the jobs when due and runs them (docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The address of Parcours, for the links in reminder e-mails.
PARCOURS_BASE_URL = env_str("PARCOURS_BASE_URL", "")
# Where the nightly backup job writes its archives (the job is off without it).
PARCOURS_BACKUP_DIR = env_str("PARCOURS_BACKUP_DIR", "")
# Data quality: an encounter entered more days than this after it happened is late.
PARCOURS_DATA_QUALITY_LATE_DAYS = env_int("PARCOURS_DATA_QUALITY_LATE_DAYS", 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PARCOURS_LOG_LEVEL", "WARNING")},
}
