"""citemploi settings: one module, every value from an environment variable (see docs/environment.md).

Profiles (DJANGO_ENV): ``development`` (default, zero configuration, SQLite), ``production`` (refuses to start
without SECRET_KEY and ALLOWED_HOSTS, passes ``citemploi check --deploy``). Tests use config.test_settings.
"""

from __future__ import annotations

import re
from pathlib import Path

from config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_required,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "citemploi"

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_ENV doit valoir development, production ou test.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-citemploi-never-use-in-production-0123456789")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    DEBUG = env_bool("DEBUG", False)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications -------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
    "citemploi.core",
    "citemploi.accounts",
    "citemploi.territory",
    "citemploi.schemes",
    "citemploi.partners",
    "citemploi.pathways",
    "citemploi.intake",
    "citemploi.evaluation",
    "citemploi.relais",
    "citemploi.governance",
    "citemploi.www",
    "citemploi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "citemploi.www.request_limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "citemploi.www.middleware.IdleTimeoutMiddleware",
    "citemploi.www.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Domain errors (citemploi.core.errors) → 403 page / message and redirect, in one place for the pages.
    "citemploi.www.site.errors.DomainErrorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "citemploi.www.middleware.ThrottledMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "citemploi.www.context_processors.platform",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": parse_database_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "citemploi.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "www:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Inactivity: the session ends after this many minutes without a request (SESSION_IDLE_MINUTES).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lockout after AXES_FAILURE_LIMIT failures for one account from one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_MINUTES", 15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "citemploi.www.site.errors.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)

# Rate limits shared by every process (citemploi.core.throttle, counters in the database): "count/period",
# the period in seconds or s/m/h/d. An empty value turns a limit off.
THROTTLE_RATES = {
    "password_reset_email": env_str("THROTTLE_PASSWORD_RESET_EMAIL", "5/h"),
    "password_reset_ip": env_str("THROTTLE_PASSWORD_RESET_IP", "20/h"),
    "duplicate_check_user": env_str("THROTTLE_DUPLICATE_CHECK_USER", "60/h"),
    "duplicate_check_ip": env_str("THROTTLE_DUPLICATE_CHECK_IP", "120/h"),
}
THROTTLE_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT

# Two-factor authentication (TOTP) is required for these roles.
OTP_REQUIRED_ROLES = ["coordinator", "admin"]
OTP_TOTP_ISSUER = env_str("BRAND_NAME", "citemploi")
# Demo mode: demo accounts (and only they) may skip 2FA; a banner says so on every page.
DEMO_MODE = env_bool("DEMO_MODE", False)

# ProConnect (OpenID Connect). Users are matched by e-mail to an existing account; none is created.
USE_PROCONNECT = env_bool("USE_PROCONNECT", False)
PROCONNECT_BASE_URL = env_str("PROCONNECT_BASE_URL", "https://auth.agentconnect.gouv.fr/api/v2").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("PROCONNECT_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email given_name usual_name uid siret"
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROCONNECT_BASE_URL}/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{PROCONNECT_BASE_URL}/token"
OIDC_OP_USER_ENDPOINT = f"{PROCONNECT_BASE_URL}/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{PROCONNECT_BASE_URL}/jwks"
OIDC_OP_LOGOUT_ENDPOINT = f"{PROCONNECT_BASE_URL}/session/end"
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
OIDC_TIMEOUT = 10
AUTHENTICATION_BACKENDS.insert(1, "citemploi.accounts.proconnect.EnabledProConnectBackend")

# --- Internationalisation -----------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# --- Static files (front-end packages come from npm at set-up time, served by the app) ----------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/bootstrap", "bootstrap/dist"),
        ("vendor/leaflet", "leaflet/dist"),
    ]
    if (NODE_MODULES / path).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- E-mail -------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "citemploi <ne-pas-repondre@citemploi.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Brand (no State branding: name, logo and colours are the operator's) ------------------------------------
BRAND = {
    "name": env_str("BRAND_NAME", "Cité de l'emploi"),
    "territory": env_str("BRAND_TERRITORY", "Saint-Étienne Métropole"),
    "logo_url": env_str("BRAND_LOGO_URL", ""),
    "primary_color": env_str("BRAND_PRIMARY_COLOR", "#1b5e7a"),
    "contact_email": env_str("BRAND_CONTACT_EMAIL", "cite-emploi@example.org"),
    "operator": env_str("BRAND_OPERATOR", "Saint-Étienne Métropole"),
}

# --- Territory ----------------------------------------------------------------------------------------------
TERRITORY_EPCI_SIREN = env_str("TERRITORY_EPCI_SIREN", "244200770")
TERRITORY_DEPARTMENT = env_str("TERRITORY_DEPARTMENT", "42")

# --- Background tasks (django-tasks with its database backend; `citemploi db_worker` runs them) -------------
# One queue per kind of work, each with its own worker (docs/operations.md), so that a long file check never
# delays mail or other users' work.
TASK_QUEUES = ["default", "files"]
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"), "QUEUES": TASK_QUEUES}}

# --- API ----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "citemploi.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "citemploi.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Domain errors (citemploi.core.errors) → 403 / 409 / 400 with {"detail": message}, in one place.
    "EXCEPTION_HANDLER": "citemploi.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API citemploi",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "citemploi.api.schema.optional_by_sight",
    ],
    # One stable name per choice set (several models have a "kind" or a "state").
    "ENUM_NAME_OVERRIDES": {
        "StructureKindEnum": "citemploi.accounts.models.StructureKind",
        "ActionKindEnum": "citemploi.partners.models.ActionKind",
        "ContactKindEnum": "citemploi.pathways.choices.ContactKind",
        "PathwayStateEnum": "citemploi.pathways.states.PathwayState",
        "FreinStateEnum": "citemploi.pathways.states.FreinState",
        "MobilisationStateEnum": "citemploi.pathways.states.MobilisationState",
        "HandoffStateEnum": "citemploi.pathways.states.HandoffState",
        "QPVStatusEnum": "citemploi.pathways.choices.QPVStatus",
        "PartnersQPVStatusEnum": "citemploi.partners.models.QPVStatus",
    },
}

# --- Audit --------------------------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
ACCESS_LOG_RETENTION_MONTHS = env_int("ACCESS_LOG_RETENTION_MONTHS", 12, minimum=1)
# Statistical secrecy (citemploi/core/secrecy.py): below the coordinator, counts of 1 to N people are masked.
STATISTICAL_SECRECY_THRESHOLD = env_int("STATISTICAL_SECRECY_THRESHOLD", 5, minimum=1)
# Computed figures (indicators, menu counters) are kept until the data changes (citemploi/core/freshness.py), at
# most this long; 0 = computed on every view.
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 3600, minimum=0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # one process's computed figures (rebuildable): a year's dashboard keeps about 70 entries
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# --- Security headers ---------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "citemploi.www.site.errors.csrf_failure"
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([MAP_TILE_URL.split("/{")[0]] if MAP_TILE_URL else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"] + ([PROCONNECT_BASE_URL] if USE_PROCONNECT else []),
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The embeddable agenda widget (/cite/agenda/widget/) is the one page other sites may frame: its own
# frame-ancestors (citemploi.www.public.promotion); every other page keeps frame-ancestors 'none' and DENY.
WIDGET_FRAME_ANCESTORS = env_list("WIDGET_FRAME_ANCESTORS", ["'self'"])
for _origin in WIDGET_FRAME_ANCESTORS:
    if _origin != "'self'" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", _origin):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"WIDGET_FRAME_ANCESTORS : {_origin!r} n'est pas une origine (https://hote[:port]) ni 'self'."
        )
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True

# --- Logging ------------------------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "faker": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# mozilla-django-oidc redirects to these URL names.
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect:callback"
LOGIN_REDIRECT_URL_FAILURE = "/comptes/connexion/"

# --- Partners: census of the offer (structures, services, actions) -------------------------------------------
# An entry (profile, service, action) not updated for this many days is "stale": `citemploi offer remind-stale`
# (monthly cron) e-mails the structure, and the completeness score flags it.
PARTNERS_STALE_DAYS = env_int("PARTNERS_STALE_DAYS", 180, minimum=1)
# data·inclusion `source` written on exported records that were created here (not imported).
PARTNERS_DATA_INCLUSION_SOURCE = env_str("PARTNERS_DATA_INCLUSION_SOURCE", "citemploi")

# --- Territory: QPV perimeters, lookup, geocoding, file checks (issue 3; see docs/territory.md) -----------------
# Which QPV `citemploi qpv import` keeps: "department" (every QPV of TERRITORY_DEPARTMENT, so that answers are
# certain across the department) or "epci" (TERRITORY_EPCI_SIREN only); `--all` keeps all of France.
QPV_IMPORT_SCOPE = env_str("QPV_IMPORT_SCOPE", "department")
# A point closer than this to a perimeter limit (Lambert-93 metres) is flagged "à vérifier".
QPV_BOUNDARY_METERS = env_float("QPV_BOUNDARY_METERS", 25.0)
# Distances to the nearest perimeter are computed up to this radius (metres); beyond, they are left blank.
QPV_DISTANCE_MAX_METERS = env_float("QPV_DISTANCE_MAX_METERS", 50.0)
# Official ANCT perimeters file (data.gouv.fr) for `citemploi qpv download`, and its expected SHA-256 (empty:
# not checked, the command prints the digest it got).
QPV_DOWNLOAD_URL = env_str(
    "QPV_DOWNLOAD_URL",
    "https://www.data.gouv.fr/api/1/datasets/r/942d4ee8-8142-4556-8ea1-335537ce1119",
)
QPV_DOWNLOAD_SHA256 = env_str("QPV_DOWNLOAD_SHA256", "")
# Geocoder: "ban_api" (Base Adresse Nationale web API) or "ban_local" (addresses loaded by `citemploi ban import`).
GEOCODER = env_str("GEOCODER", "ban_api")
BAN_API_URL = env_str("BAN_API_URL", "https://data.geopf.fr/geocodage").rstrip("/")
BAN_API_TIMEOUT = env_float("BAN_API_TIMEOUT", 10.0)
BAN_API_RETRIES = env_int("BAN_API_RETRIES", 3, minimum=0)
# Polite rate: at least this many seconds between two requests of one process (the public API allows 50/s).
BAN_API_MIN_INTERVAL = env_float("BAN_API_MIN_INTERVAL", 0.05)
# Rows sent per request to the API's batch CSV endpoint when tagging files with --geocode.
BAN_API_BATCH_ROWS = env_int("BAN_API_BATCH_ROWS", 5000, minimum=1)
# Below this geocoding score (0..1) the answer is "à vérifier".
GEOCODE_MIN_SCORE = env_float("GEOCODE_MIN_SCORE", 0.7)
# Saving a person's record waits at most this many seconds for the geocoder (one try); past it the record is saved
# with the QPV « à vérifier — adresse non localisée pour l'instant » and a background task tries again later,
# first after QPV_RELOCATE_FIRST_DELAY_MINUTES, then doubling, QPV_RELOCATE_MAX_ATTEMPTS tries in all.
GEOCODE_INLINE_TIMEOUT = env_float("GEOCODE_INLINE_TIMEOUT", 2.0)
QPV_RELOCATE_FIRST_DELAY_MINUTES = env_float("QPV_RELOCATE_FIRST_DELAY_MINUTES", 5.0)
QPV_RELOCATE_MAX_ATTEMPTS = env_int("QPV_RELOCATE_MAX_ATTEMPTS", 8, minimum=1)
# Uploaded files of "Vérifier un fichier" and their results are deleted after this many hours
# (`citemploi qpv purge-files`, hourly cron).
QPV_FILE_RETENTION_HOURS = env_int("QPV_FILE_RETENTION_HOURS", 24, minimum=1)
QPV_FILE_MAX_MB = env_int("QPV_FILE_MAX_MB", 50, minimum=1)
# A background file check stops (failed, with a French message) after this many seconds of work.
QPV_FILE_TIME_BUDGET_SECONDS = env_int("QPV_FILE_TIME_BUDGET_SECONDS", 600, minimum=10)

# --- Uploads (core/uploads.py; docs/environment.md) -------------------------------------------------------------
# A request whose declared body is larger than this is refused before it is read (413).
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", QPV_FILE_MAX_MB, minimum=1)
# Non-file request bodies (form fields, JSON): Django refuses more (and the middleware, from Content-Length).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=64 * 1024)
# Uploaded files above this size are streamed to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024, minimum=64 * 1024)
UPLOAD_MAX_COLUMNS = env_int("UPLOAD_MAX_COLUMNS", 200, minimum=10)
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 1_000_000, minimum=1)
UPLOAD_MAX_CELL_CHARS = env_int("UPLOAD_MAX_CELL_CHARS", 10_000, minimum=100)
# Spreadsheets and archives (XLSX, ODS, ZIP) are zips: their central directory is read before anything is opened.
UPLOAD_MAX_UNCOMPRESSED_MB = env_int("UPLOAD_MAX_UNCOMPRESSED_MB", 200, minimum=1)
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100, minimum=2)
UPLOAD_MAX_ARCHIVE_MEMBERS = env_int("UPLOAD_MAX_ARCHIVE_MEMBERS", 1000, minimum=1)
# Intake (citemploi/intake/readers.py): largest file accepted, in bytes; the other limits are the UPLOAD_* above.
INTAKE_MAX_UPLOAD_BYTES = env_int("INTAKE_MAX_UPLOAD_BYTES", UPLOAD_MAX_MB * 1024 * 1024, minimum=1024)

# Documents attached to meetings and good practices (core/documents.py): size and allowed kinds.
DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 10, minimum=1)
DOCUMENT_KINDS = env_list(
    "DOCUMENT_KINDS", ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "png", "jpg", "txt", "csv"]
)

# --- Steering (governance; docs/governance.md) ------------------------------------------------------------------
# Minutes longer than this many characters are refused.
MINUTES_MAX_CHARS = env_int("MINUTES_MAX_CHARS", 50_000, minimum=1000)

# --- Pathways (cohort, hand-offs, alerts, retention; docs/pathways.md) -------------------------------------------
# CDD and temporary work of at least this many calendar months, from the contract's start to its end both included,
# count as "emploi durable" (DOMAIN.md §5: 1 January to 30 June is 6 months).
PATHWAYS_DURABLE_EMPLOYMENT_MONTHS = env_int("PATHWAYS_DURABLE_EMPLOYMENT_MONTHS", 6, minimum=1)
# Which definition of "emploi durable" the exit categories use: "standard" (DOMAIN.md §5) or "plie" (the same
# duration, and at least half time: PATHWAYS_HALF_TIME_HOURS per week, for every contract).
PATHWAYS_EXIT_DEFINITION = env_str("PATHWAYS_EXIT_DEFINITION", "standard")
if PATHWAYS_EXIT_DEFINITION not in {"standard", "plie"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PATHWAYS_EXIT_DEFINITION vaut « standard » ou « plie ».")
PATHWAYS_HALF_TIME_HOURS = env_float("PATHWAYS_HALF_TIME_HOURS", 17.5)
# Alerts: hand-off not acknowledged after N working days; acknowledged without first meeting after M working days.
PATHWAYS_HANDOFF_ACK_WORKING_DAYS = env_int("PATHWAYS_HANDOFF_ACK_WORKING_DAYS", 5, minimum=1)
PATHWAYS_HANDOFF_MEETING_WORKING_DAYS = env_int("PATHWAYS_HANDOFF_MEETING_WORKING_DAYS", 15, minimum=1)
# A hand-off still unanswered after this many working days expires.
PATHWAYS_HANDOFF_EXPIRY_WORKING_DAYS = env_int("PATHWAYS_HANDOFF_EXPIRY_WORKING_DAYS", 20, minimum=1)
# Relais network (docs/relais.md): the second reminder of a missing monthly report, N working days after the first.
RELAIS_SECOND_REMINDER_WORKING_DAYS = env_int("RELAIS_SECOND_REMINDER_WORKING_DAYS", 5, minimum=1)
# Alert: pathway in progress without any contact for this many days.
PATHWAYS_NO_CONTACT_DAYS = env_int("PATHWAYS_NO_CONTACT_DAYS", 60, minimum=1)
# Alert: follow-up after exit due within this many days.
PATHWAYS_FOLLOWUP_NOTICE_DAYS = env_int("PATHWAYS_FOLLOWUP_NOTICE_DAYS", 0, minimum=0)
# Retention: anonymise after N months without contact initiated by the person; purge people spotted but never
# accompanied after M months.
PATHWAYS_RETENTION_MONTHS = env_int("PATHWAYS_RETENTION_MONTHS", 24, minimum=1)
PATHWAYS_SPOTTED_RETENTION_MONTHS = env_int("PATHWAYS_SPOTTED_RETENTION_MONTHS", 6, minimum=1)
# Version of the information notice handed to people (GDPR art. 13/14).
PATHWAYS_NOTICE_VERSION = env_str("PATHWAYS_NOTICE_VERSION", "2026-01")

# --- Intake: imports of partners' files (issue 12, app part; docs/intake.md, docs/environment.md) ---------------
# The uploaded file of an import is deleted this many days after the upload (name, size and SHA-256 stay):
# `citemploi intake purge-files`, daily cron.
INTAKE_FILE_RETENTION_DAYS = env_int("INTAKE_FILE_RETENTION_DAYS", 30, minimum=1)
# An import may be undone by its author or the coordinator for this many days after it was written.
INTAKE_UNDO_DAYS = env_int("INTAKE_UNDO_DAYS", 14, minimum=0)

# --- Intake: record linkage without NIR (citemploi.intake.linkage, docs/intake.md « Rapprochement des personnes »)
# Score (0 to 1) at or above which two records are the same person; between LOWER and UPPER: the review queue.
INTAKE_LINK_UPPER = env_float("INTAKE_LINK_UPPER", 0.97)
INTAKE_LINK_LOWER = env_float("INTAKE_LINK_LOWER", 0.3)
if not 0 < INTAKE_LINK_LOWER <= INTAKE_LINK_UPPER <= 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("INTAKE_LINK_LOWER et INTAKE_LINK_UPPER : il faut 0 < LOWER ≤ UPPER ≤ 1.")
