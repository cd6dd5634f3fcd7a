"""Settings: one struct, read from the environment once and validated at start.

A wrong value must stop the process with one line that names the variable, so every
check raises :class:`SettingsError` with that variable's name.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import msgspec

Environment = Literal["development", "production", "test"]

DEFAULT_DATABASE_URL = "sqlite:///data/coop.sqlite"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DATA_DIR = Path("data")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


class SettingsError(Exception):
    """A setting is missing or wrong; ``variable`` names it."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable
        self.message = message


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Environment = "development"
    database_url: str = DEFAULT_DATABASE_URL
    default_tenant: str = "coop"
    redis_url: str | None = None
    secret_key: str
    base_url: str = DEFAULT_BASE_URL
    smtp_url: str | None = None
    mail_from: str = ""
    pdf_workers: int = 2  # from_env: the number of cores
    rate_limit_per_minute: int = 300
    log_level: str = "INFO"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "127.0.0.1"

    def check_workers(self, workers: int) -> None:
        """Several workers share state only through PostgreSQL and Redis."""
        if workers < 1:
            raise SettingsError("--workers", "must be at least 1")
        if workers > 1 and self.is_sqlite:
            raise SettingsError(
                "DATABASE_URL",
                f"{workers} workers need PostgreSQL; SQLite allows one process",
            )
        if workers > 1 and not self.redis_url:
            raise SettingsError(
                "REDIS_URL", f"{workers} workers need Redis to share sessions and rate limits"
            )


def _database_url(value: str) -> str:
    if value.startswith("sqlite:///"):
        if len(value) == len("sqlite:///"):
            raise SettingsError("DATABASE_URL", "sqlite:/// needs a file path")
        return value
    if value.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(value)
        if not parts.hostname and "host=" not in parts.query:
            raise SettingsError("DATABASE_URL", "a PostgreSQL URL needs a host")
        if not parts.path.strip("/"):
            raise SettingsError("DATABASE_URL", "a PostgreSQL URL needs a database name")
        return value
    raise SettingsError(
        "DATABASE_URL",
        "must start with sqlite:/// or postgresql:// (got a value that does neither)",
    )


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError("BASE_URL", "must look like https://coop.example.nl")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SettingsError(
            "BASE_URL", "must be an origin without a path, e.g. https://coop.example.nl"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise SettingsError("BASE_URL", "has an invalid port") from exc
    return f"{parts.scheme}://{parts.netloc}"


def _optional_url(variable: str, value: str | None, schemes: tuple[str, ...]) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.hostname or parts.path):
        raise SettingsError(
            variable, f"must be a URL starting with {' or '.join(s + '://' for s in schemes)}"
        )
    return value


def _int(variable: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(variable, f"must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise SettingsError(variable, f"must be between {low} and {high}, got {number}")
    return number


def _development_secret(data_dir: Path) -> str:
    """Made once and kept, so sessions survive a restart during development."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def from_env(environ: Mapping[str, str] | None = None, data_dir: Path = DATA_DIR) -> Settings:
    """Read and validate every setting; raise :class:`SettingsError` on the first wrong one."""
    env_vars = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        value = env_vars.get(name)
        return value.strip() if value is not None and value.strip() else None

    env = get("COOP_ENV") or "development"
    if env not in ("development", "production", "test"):
        raise SettingsError("COOP_ENV", f"must be development, production or test, got {env!r}")

    database_url = _database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    base_url_raw = get("BASE_URL")
    if env == "production" and not base_url_raw:
        raise SettingsError("BASE_URL", "is required in production (an https:// address)")
    base_url = _base_url(base_url_raw or DEFAULT_BASE_URL)
    if env == "production" and not base_url.startswith("https://"):
        raise SettingsError("BASE_URL", "must use https:// in production")

    default_tenant = get("DEFAULT_TENANT") or "coop"
    if not _SLUG.match(default_tenant):
        raise SettingsError(
            "DEFAULT_TENANT", "must be a slug of lower-case letters, digits and hyphens"
        )

    secret_key = get("SECRET_KEY")
    if secret_key is None:
        if env == "production":
            raise SettingsError("SECRET_KEY", "is required in production")
        # Tests get a throwaway key; development keeps one under ./data/.
        secret_key = secrets.token_urlsafe(48) if env == "test" else _development_secret(data_dir)
    elif len(secret_key) < 32:
        raise SettingsError("SECRET_KEY", "must be at least 32 characters long")

    redis_url = _optional_url("REDIS_URL", get("REDIS_URL"), ("redis", "rediss", "unix"))
    smtp_url = _optional_url("SMTP_URL", get("SMTP_URL"), ("smtp", "smtps"))
    if smtp_url:
        from coop.mail.smtp import parse_url  # raises SettingsError naming SMTP_URL

        parse_url(smtp_url)
    cores = min(
        32,
        max(
            1,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1,
        ),
    )
    pdf_workers = _int("PDF_WORKERS", get("PDF_WORKERS") or str(cores), 1, 32)
    rate_limit = _int("RATE_LIMIT_PER_MINUTE", get("RATE_LIMIT_PER_MINUTE") or "300", 0, 100_000)
    if rate_limit == 0 and env == "production":
        raise SettingsError("RATE_LIMIT_PER_MINUTE", "0 (no limit) is not allowed in production")
    if redis_url:
        try:
            import redis  # noqa: F401
        except ImportError:
            raise SettingsError(
                "REDIS_URL", "is set but the redis package is missing: pip install 'coop[redis]'"
            ) from None

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError("LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")

    host = urlsplit(base_url).hostname or "localhost"
    mail_from = get("MAIL_FROM") or f"Coöperatie Inclusief Werk <noreply@{host}>"
    if "@" not in mail_from:
        raise SettingsError("MAIL_FROM", "must be an email address")

    return Settings(
        env=env,  # type: ignore[arg-type]
        database_url=database_url,
        default_tenant=default_tenant,
        redis_url=redis_url,
        secret_key=secret_key,
        base_url=base_url,
        smtp_url=smtp_url,
        mail_from=mail_from,
        pdf_workers=pdf_workers,
        rate_limit_per_minute=rate_limit,
        log_level=log_level,
    )
