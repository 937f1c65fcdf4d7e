"""Settings from the PORTAL_* environment variables (shared/api.md)."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_path() -> Path:
    """The folder for the database, uploads, generated files and the secret key."""
    return Path(os.environ.get("PORTAL_INSTANCE_PATH", "instance")).resolve()


def _secret_key(folder: Path) -> str:
    """PORTAL_SECRET_KEY, else a key generated once into the instance folder."""
    if os.environ.get("PORTAL_SECRET_KEY"):
        return os.environ["PORTAL_SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _ratelimit_options(url: str) -> dict:
    """A Redis that stops answering must not hang sign-ins: give up after two seconds (the
    limiter then falls back to this process's memory)."""
    if url.startswith(("redis://", "rediss://")):
        return {"socket_connect_timeout": 2, "socket_timeout": 2}
    return {}


def from_environment() -> dict:
    """Build the Flask config mapping from the environment."""
    folder = instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    env = os.environ.get
    base_url = env("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    session_days = max(1, int(env("PORTAL_SESSION_MAX_DAYS", "7")))
    return {
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": _secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": env("PORTAL_DATABASE_URL") or f"sqlite:///{folder / 'portal.db'}",
        "BASE_URL": base_url,
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
        "SMTP_HOST": env("PORTAL_SMTP_HOST", ""),
        "SMTP_PORT": int(env("PORTAL_SMTP_PORT", "25")),
        "SMTP_USER": env("PORTAL_SMTP_USER", ""),
        "SMTP_PASSWORD": env("PORTAL_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env("PORTAL_SMTP_STARTTLS")),
        "MAIL_FROM": env("PORTAL_MAIL_FROM", "Madoguchi <support@madoguchi.example>"),
        "PROVIDER_NAME": env("PORTAL_PROVIDER_NAME", "Madoguchi Cloud Support"),
        # Passkeys are bound to this origin (scheme://host[:port] as browsers see the portal);
        # empty: BASE_URL's. docs/decisions/sign-in.md.
        "WEBAUTHN_ORIGIN": env("PORTAL_WEBAUTHN_ORIGIN", "").strip().rstrip("/"),
        # The e-mail channel (docs/production.md, "Mail in"): the address customers write to,
        # the mailbox `mail fetch` polls, and the receiving server whose Authentication-Results
        # are believed (unset: every mail is taken as authentic).
        "MAIL_INTAKE_ADDRESS": env("PORTAL_MAIL_INTAKE_ADDRESS", "").strip(),
        "IMAP_URL": env("PORTAL_IMAP_URL", "").strip(),
        "MAIL_TRUSTED_AUTHSERV_ID": env("PORTAL_MAIL_TRUSTED_AUTHSERV_ID", "").strip(),
        "RATELIMIT_STORAGE_URI": env("PORTAL_RATELIMIT_STORAGE_URL", "memory://"),
        "LOGIN_FAILURE_LIMIT": env("PORTAL_LOGIN_FAILURE_LIMIT", "5 per 15 minutes"),
        "API_RATE_LIMIT": env("PORTAL_API_RATE_LIMIT", "600 per minute"),
        "RATELIMIT_KEY_PREFIX": env("PORTAL_RATELIMIT_KEY_PREFIX", "madoguchi"),
        "RATELIMIT_STORAGE_OPTIONS": _ratelimit_options(env("PORTAL_RATELIMIT_STORAGE_URL", "")),
        "MAX_UPLOAD_MB": int(env("PORTAL_MAX_UPLOAD_MB", "20")),
        # the whole body of a form with attachments (portal/web/uploads.py)
        "MAX_FORM_MB": int(env("PORTAL_MAX_FORM_MB", "100")),
        "PROXY_FIX": _bool(env("PORTAL_PROXY_FIX")),
        "OUTBOX_INLINE": _bool(env("PORTAL_OUTBOX_INLINE"), default=True),
        "PREFERRED_URL_SCHEME": "https" if base_url.startswith("https://") else "http",
        "LOG_LEVEL": env("PORTAL_LOG_LEVEL", "INFO").strip().upper(),
        "BACKUP_DIR": env("PORTAL_BACKUP_DIR") or str(folder / "backups"),
        "BACKUP_KEEP": max(1, int(env("PORTAL_BACKUP_KEEP", "2"))),
        # A signed-in session ends after this long without a request, and this long after it
        # began (portal/accounts/sessions.py); the signed cookie is refused past the latter too.
        "SESSION_IDLE_MINUTES": max(1, int(env("PORTAL_SESSION_IDLE_MINUTES", "480"))),
        "SESSION_MAX_DAYS": session_days,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=session_days),
        # the automatic steps of the request lifecycle (rules.md), in the organisation's
        # business days: a reminder to a customer we wait for, the closing of a resolved request
        "WAITING_REMINDER_BUSINESS_DAYS": max(1, int(env("PORTAL_WAITING_REMINDER_DAYS", "3"))),
        "AUTO_CLOSE_BUSINESS_DAYS": max(1, int(env("PORTAL_AUTO_CLOSE_DAYS", "5"))),
        "FRAGMENT_CACHE_SIZE": max(0, int(env("PORTAL_FRAGMENT_CACHE_SIZE", "512"))),
        # PostgreSQL: a pooled connection idle longer than this is pinged before use; 0 pings
        # every time one leaves the pool (portal/db.py, docs/performance.md).
        "DATABASE_PING_AFTER_S": max(0.0, float(env("PORTAL_DATABASE_PING_AFTER_S", "5"))),
    }


DEFAULTS = {
    # hide_parameters: a logged database error never shows the values (e-mails, hashes) it held.
    "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "ja",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
    "LANGUAGES": ("ja", "en"),
    "RATELIMIT_HEADERS_ENABLED": True,
    # A Redis outage must not lock everyone out: limits fall back to each process's memory.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "PASSWORD_LINK_MAX_AGE": 60 * 60 * 24,
}
