"""Settings shared by every environment; values come from the environment (12-factor).

Without any environment variable the app runs on a SQLite file in the project and
runs background tasks in-process, so `make run` needs neither PostgreSQL nor Redis.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The developer tools ("dialogue.devtools": demo and bench data, benchmarks) are not
# here: the local, test and bench settings add them, production never installs them.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "dialogue",
    # Failed sign-ins: lock-out per account and per address (see "Company portal" below).
    "config.apps.SignInRecordsConfig",  # django-axes, named in the admin
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (collectstatic), by the app server itself: `make run`
    # and production serve them the same way.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (see "Security" below).
    "csp.middleware.CSPMiddleware",
    # The audit log's "access.denied": 403 and 404 answers to signed-in users.
    "dialogue.middleware.AccessDeniedAuditMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------


def database_from_env(*, default: str | None, conn_max_age: int) -> dict:
    database = env.db("DATABASE_URL", default=default) if default else env.db("DATABASE_URL")
    # Every request is one transaction: a failed request leaves nothing half-saved.
    database["ATOMIC_REQUESTS"] = True
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=conn_max_age)
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"].endswith("postgresql"):
        # Short queries with visibility subqueries have high cost estimates, and
        # PostgreSQL's JIT then spends longer compiling than the query takes to run.
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return database


DATABASES = {
    "default": database_from_env(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "dialogue.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "dialogue.portal.security.LockoutBackend",  # django-axes' AxesStandaloneBackend
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time ---------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dialogue" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Tokyo")
USE_I18N = True
USE_TZ = True
# One style of dates per language, everywhere (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
# Uploaded attachments live outside the web root and are served only through a
# permission-checked view, so MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))
MEDIA_URL = "/uploads-not-served/"

# --- E-mail ---------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.go.jp:587; the default
# prints e-mails to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="dialogue@localhost")
SITE_URL: str = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# No broker configured: tasks run in-process, so the embedded default needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- REST framework -------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dialogue.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "dialogue.api.schema.DialogueAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["dialogue.api.filtering.ApiFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "dialogue.api.pagination.DialogueCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies (where null can be said); the few operations that take a file declare
    # multipart/form-data instead (parser_classes on the view), so each operation has one
    # request content type in the schema and a generated client sends what it documents.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "dialogue.api.exceptions.dialogue_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["dialogue.api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_RATE", default="1200/minute"),
        "concern_submit": env("CONCERN_SUBMIT_RATE", default="20/hour"),
        "token_login": env("TOKEN_LOGIN_RATE", default="20/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategic dialogue API",
    "DESCRIPTION": (
        "Names (components, enums, parameters, operation ids) and descriptions in this "
        "schema are in English whatever language the request asks for, so a client "
        "generated from it keeps its class names. Error messages in responses follow the "
        "caller's language (Accept-Language or the language cookie; Japanese by default).\n\n"
        "Authentication: send `Authorization: Token <key>` with a key from "
        "POST /api/v1/auth/token/, or use a signed-in browser session.\n\n"
        'Concurrent edits: a versioned record comes with `ETag: "<version>"`; send it '
        "back as `If-Match` with an update (without it 428, after someone else's change 409)."
    ),
    "VERSION": "1",
    # English whatever the request's or the command's language (see dialogue/api/schema.py).
    "DEFAULT_GENERATOR_CLASS": "dialogue.api.schema.EnglishSchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dialogue.api.schema.drop_parameter_titles",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the page stays on this site (img-src 'self'),
    # and the schema's address is not sent to a third party.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Every enum named here, by its choices: a generated name depends on which other
    # serializers use a field of the same name, so a new field could rename a client's class.
    # (LevelEnum also serves Priority: the same choices.)
    "ENUM_NAME_OVERRIDES": {
        "MarkingEnum": "dialogue.enums.Marking",
        "DependencyImportRequestMarkingEnum": ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT"],
        "LevelEnum": "dialogue.enums.ConcernLevel",
        "ActionEnum": ["create", "update", "unchanged"],
        "ChangeEnum": ["added", "removed", "changed"],
        "ActionStatusEnum": "dialogue.enums.ActionStatus",
        "AudienceEnum": "dialogue.enums.NoticeAudience",
        "BasisEnum": "dialogue.enums.ShareBasis",
        "ConcernStatusEnum": "dialogue.enums.ConcernStatus",
        "CountryEnum": "dialogue.countries.COUNTRIES",
        "DesiredSupportEnum": "dialogue.enums.DesiredSupport",
        "ExportJobStatusEnum": "dialogue.models.exports.ExportJob.Status",
        "FormatEnum": "dialogue.enums.SessionFormat",
        "LanguageEnum": "dialogue.enums.Language",
        "NoticeKindEnum": "dialogue.enums.NoticeKind",
        "NoticeStatusEnum": "dialogue.enums.NoticeStatus",
        "OrganizationKindEnum": "dialogue.enums.OrganizationKind",
        "PillarEnum": "dialogue.enums.PolicyPillar",
        "PlanRevisionStatusEnum": "dialogue.enums.PlanRevisionStatus",
        "PrecisionEnum": "dialogue.enums.FigurePrecision",
        "ProcessStageEnum": "dialogue.enums.ChokepointProcessStage",
        "ReferralStatusEnum": "dialogue.enums.ReferralStatus",
        "RoleEnum": "dialogue.enums.Role",
        "SectorKindEnum": "dialogue.enums.SectorKind",
        "SessionStatusEnum": "dialogue.enums.SessionStatus",
        "SizeClassEnum": "dialogue.enums.SizeClass",
        "StageEnum": "dialogue.enums.SupplyChainStage",
        "SurveyEnum": "dialogue.enums.ChokepointSurvey",
        "ThreatStatusEnum": "dialogue.enums.ThreatStatus",
        "TopicEnum": "dialogue.enums.AgendaTopic",
    },
}

# --- Cache (API throttling, login lock-outs) ------------------------------
# One cache shared by every gunicorn worker in production: CACHE_URL=redis://…
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Security -------------------------------------------------------------
# The production settings add Secure cookies, HSTS and the HTTPS redirect.
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: password-reset and invitation links arrive from e-mail (another
# site), and the person must arrive signed in or able to sign in.
SESSION_COOKIE_SAMESITE = "Lax"
# A working day; pages carry marked information, so sessions do not last for weeks.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# No script reads the CSRF cookie: forms carry the token, and the API documentation's
# "Try it out" gets it rendered into its script (drf-spectacular's swagger_ui.js).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses carry record ids: other sites never see them in a Referer header.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): only this site's own scripts and
# stylesheets, no inline script, style or event handler anywhere (the API
# documentation runs drf-spectacular's split view, whose start-up script is a
# file of its own). Responses that set their own policy keep it: attachment
# downloads send "default-src 'none'; sandbox".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Logging --------------------------------------------------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dialogue.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "audit_console": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # The audit log (dialogue/audit.py): one JSON object per line on stderr. Not
        # propagated to the root, whose plain lines would repeat every audit line.
        "dialogue.audit": {"handlers": ["audit_console"], "level": "INFO", "propagate": False},
    },
}
# The audit log appended to a file as well (one JSON object per line).
AUDIT_LOG_FILE = env("AUDIT_LOG_FILE", default="")
if AUDIT_LOG_FILE:
    LOGGING["handlers"]["audit_file"] = {
        # Reopens the file after logrotate has moved it.
        "class": "logging.handlers.WatchedFileHandler",
        "filename": AUDIT_LOG_FILE,
        "encoding": "utf-8",
        "formatter": "json",
    }
    LOGGING["loggers"]["dialogue.audit"]["handlers"].append("audit_file")

# --- Attachments ----------------------------------------------------------
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_PER_CONCERN = env.int("ATTACHMENT_MAX_PER_CONCERN", default=5)

# --- Dependencies (特定国依存) ------------------------------------------------
# A country whose share of a product reaches this percentage is marked 特定国依存.
DEPENDENCY_THRESHOLD_PERCENT = env.int("DEPENDENCY_THRESHOLD_PERCENT", default=50)
# Imports of trade statistics and share tables (CSV or XLSX).
DEPENDENCY_IMPORT_MAX_BYTES = env.int("DEPENDENCY_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
DEPENDENCY_IMPORT_MAX_ROWS = env.int("DEPENDENCY_IMPORT_MAX_ROWS", default=20000)

# --- Reminders, notifications, digests --------------------------------------
REMINDER_ESCALATE_AFTER_DAYS = env.int("REMINDER_ESCALATE_AFTER_DAYS", default=14)
# Days before a chokepoint's review date that its sector lead is reminded (once).
CHOKEPOINT_REVIEW_NOTICE_DAYS = env.int("CHOKEPOINT_REVIEW_NOTICE_DAYS", default=14)
# Days a referral may wait for the company's consent or the support organization's answer
# before the concern's assigned official is reminded (once per wait).
REFERRAL_REMINDER_AFTER_DAYS = env.int("REFERRAL_REMINDER_AFTER_DAYS", default=14)
# Business days (weekends, national holidays and 29 Dec–3 Jan excluded) within which a
# company's concern should get its first answer; past it, the inbox and dashboard flag it.
CONCERN_FIRST_RESPONSE_BUSINESS_DAYS = env.int("CONCERN_FIRST_RESPONSE_BUSINESS_DAYS", default=3)
REMINDER_MAX_LISTED = 50  # actions listed in one reminder e-mail; the rest behind a link
# A worker that died holding rows releases them after this many seconds.
DELIVERY_CLAIM_LEASE_SECONDS = env.int("DELIVERY_CLAIM_LEASE_SECONDS", default=600)
# Default times of the periodic jobs (Asia/Tokyo). They are written to the database
# once (manage.py install_schedule, run by migrate); change them later in the admin.
REMINDER_SWEEP_AT = env("REMINDER_SWEEP_AT", default="08:00")
DIGEST_ROUND_AT = env("DIGEST_ROUND_AT", default="07:30")
NOTIFICATION_DISPATCH_EVERY_SECONDS = env.int("NOTIFICATION_DISPATCH_EVERY_SECONDS", default=60)
# Notices: "immediately" means at the next of these rounds; daily and weekly e-mails go
# out at NOTICE_DIGEST_AT, weekly ones on NOTICE_WEEKLY_ON (0 = Monday).
NOTICE_MAIL_EVERY_SECONDS = env.int("NOTICE_MAIL_EVERY_SECONDS", default=300)
NOTICE_DIGEST_AT = env("NOTICE_DIGEST_AT", default="07:45")
NOTICE_WEEKLY_ON = env.int("NOTICE_WEEKLY_ON", default=0)
NOTICE_MAIL_MAX_LISTED = 20  # notices listed in one e-mail; the rest behind the link
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message whose worker died is redelivered after this long (Redis transport).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# A digest round catches up at most this many missed periods per person.
DIGEST_MAX_CATCH_UP = env.int("DIGEST_MAX_CATCH_UP", default=4)
DIGEST_MAX_LISTED = 50

# --- Exports ----------------------------------------------------------------
# Exports with more rows than this run as a background job (progress page, then a
# download); smaller ones stream straight away.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)
# Rows per table in a PDF report (the XLSX and CSV hold them all).
EXPORT_PDF_MAX_ROWS = env.int("EXPORT_PDF_MAX_ROWS", default=200)
# Finished export jobs and their files are removed after this many hours.
EXPORT_JOB_TTL_HOURS = env.int("EXPORT_JOB_TTL_HOURS", default=24)

# --- API tokens -----------------------------------------------------------------
# An API token works for this many days after it is issued (a password change or
# reset ends it sooner).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

# --- Company portal -----------------------------------------------------------
# An invitation link works once, for this many days.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)
# Sign-in lock-out (django-axes, every sign-in form: portal, workspace, admin, API token):
# after LOGIN_FAILURE_LIMIT failed attempts for one account, or from one address,
# that account or address is refused for LOGIN_LOCKOUT_MINUTES after its last failure.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "dialogue.portal.views.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "dialogue.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = False
# Reverse proxies in front of the app that append to X-Forwarded-For (0 = use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
