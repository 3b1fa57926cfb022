"""Settings, configured from the environment.

DATABASE_URL   PostgreSQL in production (postgres://user@host:5432/db); SQLite (WAL) by default.
REDIS_URL      Huey task queue on Redis; SQLite storage by default.
GOVPUB_HOME    where the SQLite database, the queue and uploaded files live (default ./var).
GOVPUB_SECRET_KEY, GOVPUB_DEBUG, GOVPUB_ALLOWED_HOSTS, GOVPUB_SESSION_IDLE_SECONDS …
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from govpub.ops.filemodes import private_sqlite, write_private

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("GOVPUB_HOME", Path.cwd() / "var")).resolve()
HOME.mkdir(mode=0o750, parents=True, exist_ok=True)  # group: nginx reads HOME/static; the private files are 0600


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """An explicit key, or one generated once and kept in GOVPUB_HOME (never in the repo)."""
    if key := os.environ.get("GOVPUB_SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        from secrets import token_urlsafe

        try:
            write_private(path, token_urlsafe(50))  # 0600 from the first byte
        except FileExistsError:  # another process starting at the same moment wrote it first
            pass
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("GOVPUB_DEBUG")
ALLOWED_HOSTS = os.environ.get("GOVPUB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GOVPUB_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "captcha",
    "huey.contrib.djhuey",
    "govpub.audit",
    "govpub.notifications",
    "govpub.orgs",
    "govpub.channels",
    "govpub.content",
    "govpub.review",
    "govpub.publishing",
    "govpub.portal",
    "govpub.web",
    "govpub.api",
    "govpub.supervision",
    "govpub.lexicons",
    "govpub.jobs",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "govpub.twofactor",
]

MIDDLEWARE = [
    "govpub.ops.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "govpub.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govpub.web.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govpub.web.middleware.IdleTimeoutMiddleware",
    "govpub.web.accounts.SingleSessionMiddleware",
    "govpub.web.accounts.PasswordPolicyMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "govpub.twofactor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govpub.urls"
WSGI_APPLICATION = "govpub.wsgi.application"

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
                "govpub.web.context.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "govpub.sqlite3",
            # WAL lets the in-process worker and web threads read while one writes.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
            # Tests use a real file too, so several threads can share it the way the server does.
            # One file per test process, so concurrent test runs never share it.
            "TEST": {"NAME": str(HOME / f"test-{os.getpid()}.sqlite3")},
        }
    }
    private_sqlite(DATABASES["default"]["NAME"])  # 0600 before SQLite first creates it (or its -wal) 0644
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- task queue -------------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": os.environ.get("GOVPUB_QUEUE_NAME", "govpub"),
        "url": os.environ["REDIS_URL"],
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "govpub",
        "filename": str(private_sqlite(HOME / "queue.sqlite3")),
        "immediate": False,
    }
if env_bool("GOVPUB_TASKS_IMMEDIATE"):
    HUEY["immediate"] = True

# --- authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "govpub.orgs.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "govpub.orgs.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "govpub.orgs.accounts.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("GOVPUB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GOVPUB_LOCKOUT_HOURS", "0.5"))  # hours
# Lock the account, not the address: a whole township office shares one intranet address.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- two-factor login (govpub/twofactor, 等保 GB/T 22239) --------------------------------------------
# Roles that must sign in with a TOTP code as well; an empty GOVPUB_2FA_REQUIRED_ROLES requires nobody
# (anyone who enrolled a device voluntarily is still asked for a code).
GOVPUB_2FA_REQUIRED_ROLES = [r.strip() for r in os.environ.get(
    "GOVPUB_2FA_REQUIRED_ROLES", "principal,deputy,office_head,supervisor,admin").split(",") if r.strip()]
OTP_TOTP_ISSUER = os.environ.get("GOVPUB_2FA_ISSUER", "GovPub")
# The accepted window stays ±1 step (±30 s) around the server's clock instead of following the
# phone's drift, so which code the server accepts is predictable (and `govpub totp` can print it).
OTP_TOTP_SYNC = False

SESSION_IDLE_SECONDS = int(os.environ.get("GOVPUB_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("GOVPUB_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- account policies (govpub/orgs/accounts.py, govpub/web/accounts.py; 等保 GB/T 22239) ---------------
GOVPUB_PASSWORD_HISTORY = int(os.environ.get("GOVPUB_PASSWORD_HISTORY", "5"))  # last N passwords refused
GOVPUB_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GOVPUB_PASSWORD_MAX_AGE_DAYS", "90"))  # 0: never expires
GOVPUB_CAPTCHA_AFTER_FAILURES = int(os.environ.get("GOVPUB_CAPTCHA_AFTER_FAILURES", "3"))  # 0: no captcha
GOVPUB_SINGLE_SESSION = env_bool("GOVPUB_SINGLE_SESSION", True)  # a new login ends the account's older session
# …of the same device kind ("device": a phone and a PC each keep one) or of any kind ("account").
GOVPUB_SESSION_SCOPE = os.environ.get("GOVPUB_SESSION_SCOPE", "device")
GOVPUB_REAUTH_SECONDS = int(os.environ.get("GOVPUB_REAUTH_SECONDS", "600"))  # re-enter the password after this
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5  # minutes

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_FORMAT = "Y-m-d"

# --- files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = HOME / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "govpub.content.files.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Machine review is linear (tests/textcheck/test_complexity.py); these caps bound one call to about 3 s of CPU:
# text sent to POST /api/v1/check, and the HTML of /check and of an item's body (checked on every save).
GOVPUB_MAX_CHECK_CHARS = int(os.environ.get("GOVPUB_MAX_CHECK_CHARS", "500000"))
GOVPUB_MAX_BODY_HTML_CHARS = int(os.environ.get("GOVPUB_MAX_BODY_HTML_CHARS", "2000000"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Without a configured SMTP server, mail is kept as files in GOVPUB_HOME/mail rather than lost or printed.
EMAIL_BACKEND = os.environ.get("GOVPUB_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = HOME / "mail"
EMAIL_HOST = os.environ.get("GOVPUB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GOVPUB_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("GOVPUB_FROM_EMAIL", "govpub@localhost")

# --- public website (portal) footer; an empty GOVPUB_SITE_ID_CODE means the website channel's 网站标识码 ---
GOVPUB_SITE_SPONSOR = os.environ.get("GOVPUB_SITE_SPONSOR", "鄂州市临空经济区管理委员会")
GOVPUB_SITE_ID_CODE = os.environ.get("GOVPUB_SITE_ID_CODE", "")
GOVPUB_ICP = os.environ.get("GOVPUB_ICP", "鄂ICP备00000000号")
GOVPUB_PSB = os.environ.get("GOVPUB_PSB", "鄂公网安备00000000000000号")

# --- web defences and operations for production (docs/deployment.md) --------------------------------
# Logs: one JSON object a line (`govpub serve` and deploy/gunicorn.conf.py default to json) or plain text;
# ID numbers, mobile numbers, e-mail addresses and secrets are masked in every message (govpub/ops/logs.py).
GOVPUB_LOG_FORMAT = os.environ.get("GOVPUB_LOG_FORMAT", "plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "govpub.ops.logs.MaskPersonalData"}, "context": {"()": "govpub.ops.logs.RequestContext"}},
    "formatters": {"plain": {"()": "govpub.ops.logs.PlainFormatter",
                             "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
                   "json": {"()": "govpub.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context", "mask"],
                             "formatter": "json" if GOVPUB_LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOVPUB_LOG_LEVEL", "INFO")},
    # django.request would repeat every 4xx as a warning; govpub.request already logs each request once.
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
AXES_CLIENT_STR_CALLABLE = "govpub.ops.logs.axes_client_str"  # axes names the account by id, never by username

# SSRF: internal hosts the server may fetch anyway — comma list of names, addresses, CIDRs, each with an optional
# :port (govpub/ops/netguard.py). Empty: every loopback/private/link-local/reserved address is refused.
GOVPUB_ALLOW_PRIVATE_HOSTS = [h.strip() for h in os.environ.get("GOVPUB_ALLOW_PRIVATE_HOSTS", "").split(",") if h.strip()]
# Reverse proxies (nginx) whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or CIDRs.
GOVPUB_TRUSTED_PROXIES = [h.strip() for h in os.environ.get("GOVPUB_TRUSTED_PROXIES", "").split(",") if h.strip()]
if GOVPUB_TRUSTED_PROXIES:  # only then can the scheme header come from someone we trust
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("GOVPUB_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # local probes speak plain HTTP to the app server
SECURE_HSTS_SECONDS = int(os.environ.get("GOVPUB_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GOVPUB_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("GOVPUB_HSTS_PRELOAD")

# Rate limits, "requests/seconds" per client (govpub/web/ratelimit.py); GOVPUB_RATE_LIMITS=off for benchmarks.
GOVPUB_RATE_LIMITS = env_bool("GOVPUB_RATE_LIMITS", True)
GOVPUB_RATE_LOGIN = os.environ.get("GOVPUB_RATE_LOGIN", "60/60")  # login, re-authentication, 2FA code: per address
GOVPUB_RATE_API = os.environ.get("GOVPUB_RATE_API", "600/60")  # /api/v1/: per token, per address without one
GOVPUB_RATE_SEARCH = os.environ.get("GOVPUB_RATE_SEARCH", "60/60")  # public search: per address
GOVPUB_RATE_NAMESPACE = "rl"  # part of every counter's key; tests give each test its own
# Counters must be shared by every process: Redis across machines; otherwise files every process on this
# machine shares (no write lock on the SQLite database for each login or search, unlike DatabaseCache).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("GOVPUB_CACHE_URL") or os.environ.get("REDIS_URL"):
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("GOVPUB_CACHE_URL") or os.environ["REDIS_URL"],
        # Apart from Huey's keys in the same database, and from other installations' queues.
        "KEY_PREFIX": f"govpub-rl:{os.environ.get('GOVPUB_QUEUE_NAME', 'govpub')}",
    }
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache" / "ratelimit"),
        "OPTIONS": {"MAX_ENTRIES": 3000, "CULL_FREQUENCY": 3},
    }

# --- delivery to new-media platforms (publishing/delivery.py, publishing/connectors/) ----------------
# The public address of the government website, for "阅读原文" links on WeChat and Weibo posts.
GOVPUB_PUBLIC_BASE_URL = os.environ.get("GOVPUB_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Where staff open GovPub (the links in notification e-mails); the portal's address unless set.
GOVPUB_STAFF_BASE_URL = os.environ.get("GOVPUB_STAFF_BASE_URL", GOVPUB_PUBLIC_BASE_URL)
GOVPUB_WECHAT_API_BASE = os.environ.get("GOVPUB_WECHAT_API_BASE", "https://api.weixin.qq.com")
GOVPUB_WEIBO_API_BASE = os.environ.get("GOVPUB_WEIBO_API_BASE", "https://api.weibo.com")
GOVPUB_CREDENTIALS_KEY = os.environ.get("GOVPUB_CREDENTIALS_KEY", "")  # Fernet key; empty: derived from SECRET_KEY
GOVPUB_CONNECTOR_TIMEOUT = float(os.environ.get("GOVPUB_CONNECTOR_TIMEOUT", "10"))
GOVPUB_DELIVERY_LEASE_SECONDS = float(os.environ.get("GOVPUB_DELIVERY_LEASE_SECONDS", "300"))
GOVPUB_DELIVERY_BACKOFF_BASE = float(os.environ.get("GOVPUB_DELIVERY_BACKOFF_BASE", "30"))
GOVPUB_DELIVERY_BACKOFF_MAX = float(os.environ.get("GOVPUB_DELIVERY_BACKOFF_MAX", "3600"))
GOVPUB_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("GOVPUB_DELIVERY_MAX_ATTEMPTS", "12"))
GOVPUB_DELIVERY_POLL_SECONDS = float(os.environ.get("GOVPUB_DELIVERY_POLL_SECONDS", "30"))
GOVPUB_WECHAT_POLL_TRIES = int(os.environ.get("GOVPUB_WECHAT_POLL_TRIES", "3"))
GOVPUB_WECHAT_POLL_INTERVAL = float(os.environ.get("GOVPUB_WECHAT_POLL_INTERVAL", "1"))

# --- long jobs split into chunks (govpub/jobs/runner.py) ------------------------------------------------
GOVPUB_JOB_LEASE_SECONDS = float(os.environ.get("GOVPUB_JOB_LEASE_SECONDS", "60"))  # renewed while a chunk runs
GOVPUB_JOB_MAX_ATTEMPTS = int(os.environ.get("GOVPUB_JOB_MAX_ATTEMPTS", "5"))  # then the chunk, and the job, fail

# --- audit chain anchored outside the database (govpub/audit/keys.py, anchors.py; docs/operations.md) ----------
# The HMAC key of the audit chain: GOVPUB_AUDIT_KEY, or a file created (0600) in GOVPUB_HOME by the first event.
# Keep it apart from the database backups: whoever holds both can rewrite the log undetected.
GOVPUB_AUDIT_KEY = os.environ.get("GOVPUB_AUDIT_KEY", "")
GOVPUB_AUDIT_KEY_FILE = os.environ.get("GOVPUB_AUDIT_KEY_FILE", str(HOME / "audit_key"))
# Append-only file of the chain's head, written hourly and at every backup; `govpub audit verify` checks against it.
GOVPUB_AUDIT_ANCHOR_FILE = os.environ.get("GOVPUB_AUDIT_ANCHOR_FILE", str(HOME / "audit-anchors.jsonl"))
