"""Settings for solieu, read from the environment.

Defaults give a working demo: SQLite under ./var, DEBUG on only when SOLIEU_DEBUG=1.
Production sets DATABASE_URL (postgres://...), SOLIEU_SECRET_KEY and SOLIEU_ALLOWED_HOSTS;
docs/deploy.md lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
# Database file, uploads, generated key: ./var in a checkout; an installed package must be
# told where (its own directory is site-packages).
DATA_DIR = Path(os.environ.get("SOLIEU_DATA_DIR") or (
    BASE_DIR / "var" if (BASE_DIR / "pyproject.toml").exists() else Path.cwd() / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("SOLIEU_DEBUG")


def _secret_key():
    """Take the key from the environment; in development keep a generated one on disk.

    Refusing to start without a key in production is deliberate: a default key in a
    public repository would let anyone forge sessions.
    """
    key = os.environ.get("SOLIEU_SECRET_KEY")
    if key:
        return key
    if not env_bool("SOLIEU_ALLOW_GENERATED_KEY", DEBUG or "DATABASE_URL" not in os.environ):
        raise RuntimeError("SOLIEU_SECRET_KEY phải được đặt khi chạy production.")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SOLIEU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SOLIEU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",
    "solieu.catalog",
    "solieu.accounts",
    "solieu.collection",
    "solieu.analytics",
    "solieu.reports",
    "solieu.factcheck",
    "solieu.assignments",
    "solieu.web",
    "solieu.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "solieu.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "solieu.accounts.middleware.CurrentRequestMiddleware",
    "solieu.accounts.middleware.RequireTotpMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "solieu.ops.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "solieu.urls"
WSGI_APPLICATION = "solieu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "solieu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'solieu.sqlite3'}",
        conn_max_age=int(os.environ.get("SOLIEU_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web server and the job worker write without
    # "database is locked" errors on the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "solieu.accounts.hashers.OwaspArgon2PasswordHasher",   # why: accounts/hashers.py; reads any argon2 hash
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 8 idle hours (a working day) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SOLIEU_SESSION_SECONDS", 8 * 3600))
SESSION_SAVE_EVERY_REQUEST = False   # SlidingSessionMiddleware moves the expiry, once a minute at most
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Approvers and administrators must confirm an authenticator app before working (TOTP).
SOLIEU_REQUIRE_TOTP = env_bool("SOLIEU_REQUIRE_TOTP")

# National figures read sums kept current on every change (docs/decisions.md 19); "0" reads
# every value live instead, as before issue 8.
SOLIEU_KIND_TOTALS = env_bool("SOLIEU_KIND_TOTALS", True)
# Kinds with more units have their totals built by the worker (`solieu build_totals`), not in a request.
SOLIEU_KIND_TOTALS_SYNC_UNITS = int(os.environ.get("SOLIEU_KIND_TOTALS_SYNC_UNITS", 5000))

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("SOLIEU_AXES", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Behind nginx every request comes from 127.0.0.1; the proxy's X-Real-IP names the client.
AXES_CLIENT_IP_CALLABLE = "solieu.web.security.client_ip"
BEHIND_PROXY = env_bool("SOLIEU_BEHIND_PROXY")

# Vietnamese only: Django's "vi" locale lacks number grouping and date input formats,
# so solieu/formats/vi supplies them.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["solieu.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SOLIEU_STATIC_ROOT", DATA_DIR / "static"))
# Hashed, compressed file names (long cache lifetimes) in production, after `collectstatic`;
# development and tests serve files straight from the apps.
STATIC_MANIFEST = env_bool("SOLIEU_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = DATA_DIR / "media"
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
except OSError:
    pass

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SOLIEU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("SOLIEU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("SOLIEU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SOLIEU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SOLIEU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SOLIEU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SOLIEU_EMAIL_TLS")
EMAIL_USE_SSL = env_bool("SOLIEU_EMAIL_SSL")
EMAIL_TIMEOUT = int(os.environ.get("SOLIEU_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("SOLIEU_FROM_EMAIL", "solieu@localhost")

# A strict policy: no inline script or style anywhere, every asset vendored.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # pages carry the token in the form or hx-headers, never read the cookie
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if env_bool("SOLIEU_HTTPS", not DEBUG and "DATABASE_URL" in os.environ):
    SECURE_SSL_REDIRECT = env_bool("SOLIEU_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SOLIEU_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the ministry's domain: its owner decides, not us.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REDIRECT_EXEMPT = [r"^suc-khoe/$"]  # plain-HTTP health checks from the proxy

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOLIEU_LOG_LEVEL", "WARNING")},
}
