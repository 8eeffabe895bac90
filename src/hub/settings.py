"""Hub settings from the environment (`HUB_` prefix), built at start-up, never at import."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

import keyring
from keyring.errors import KeyringError
from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.db.database import PoolSize

APP_NAME = "interview-kiosk-hub"
MIN_SECRET_LENGTH = 32
_MAKE_KEY = "import secrets; print(secrets.token_urlsafe(32))"


class HubConfigurationError(RuntimeError):
    """The hub is not configured to run; the message says what to set and how."""


GEMINI_KEY_NAME = "gemini_api_key"


class HubSettings(BaseSettings):
    """Operator-tunable settings. An empty `database_url` means SQLite under `data_dir`."""

    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir(APP_NAME, appauthor=False)))
    database_url: str = ""
    # PostgreSQL connections per hub process (each `serve --workers` process has its own pool):
    # kept open, opened beyond that under load, and how long a request waits for one
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_seconds: float = Field(default=30.0, gt=0)
    # threads per hub process that run the (synchronous) request handlers. Every handler needs a
    # connection, so more threads than the pool holds only queue; and on few cores, dozens of
    # threads contending for one interpreter cost CPU (bench hub_scale: 10 threads ingested
    # about 30 % more than anyio's default of 40)
    request_threads: int = Field(default=10, ge=1)
    # where blobs live: "folder" (blob_dir, the default) or "s3" (any S3-compatible store)
    blob_store: Literal["folder", "s3"] = "folder"
    # several hub processes may share one blob directory: writes are temp file + atomic rename
    blob_dir: Path | None = None
    # the S3 store: a bucket (created beforehand), an endpoint for anything but AWS itself
    # (Ceph RGW, MinIO, Garage), an optional key prefix; credentials left empty come from
    # boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role)
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_prefix: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr | None = None
    # keys the portal's CSRF tokens; required (the same on every hub process) outside `dev`
    secret_key: SecretStr | None = None
    # `kiosk-hub serve --dev`: a throw-away key per process and cookies over plain http
    dev: bool = False
    # /docs, /redoc and /openapi.json describe every route: off unless asked for
    api_docs: bool = False
    cookie_secure: bool = True
    # a portal session ends after this long without a request, and after the hours in any case
    portal_idle_minutes: int = Field(default=30, ge=1)
    portal_session_hours: int = Field(default=8, ge=1)
    max_blob_bytes: int = 50 * 2**20
    max_body_bytes: int = 16 * 2**20
    max_resume_bytes: int = 5 * 2**20
    key_misses_per_minute: int = 10
    # failed sign-ins of one account from one address before each further try waits, doubling
    login_failures_before_delay: int = Field(default=5, ge=1)
    login_max_delay_minutes: int = Field(default=15, ge=1)
    enrolment_code_hours: int = 24
    session_ttl_hours: int = 72
    # re-scoring provisional answers with Gemini; read the key through `gemini_key()`
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str = ""  # a local fake of the Gemini REST API in tests
    gemini_timeout_seconds: float = 20.0
    gemini_attempts: int = 3
    # e-mail through SMTP (`hub.mail`): off while `smtp_host` is empty. TLS "starttls" upgrades
    # a plain connection (port 587), "tls" is TLS from the first byte (465), "none" sends in
    # the clear (a relay on the same host only); port 0 means the mode's usual port
    smtp_host: str = ""
    smtp_port: int = Field(default=0, ge=0, le=65535)
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    # a PEM file of the certificate authority that signed the server's certificate, when it is
    # not one the system trusts (a company's own CA)
    smtp_ca_file: Path | None = None
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    mail_from: str = ""
    mail_from_name: str = "Interview Kiosk"
    # the portal's address as HR reaches it, for links in HR notices ("" : no link)
    public_url: str = ""
    # candidates whose key expires within this many hours, and who have not started, get one
    # reminder (0: none); how often `serve` looks for mail to send (0: never, cron runs
    # `kiosk-hub mail send` instead)
    mail_reminder_hours: int = Field(default=24, ge=0)
    mail_poll_seconds: float = Field(default=30.0, ge=0)

    @field_validator("data_dir", "blob_dir", "smtp_ca_file")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser()

    def gemini_key(self) -> SecretStr | None:
        """The Gemini key as on the kiosk: the OS keyring first (service `interview-kiosk-hub`,
        name `gemini_api_key`), then HUB_GEMINI_API_KEY; None when neither is set."""
        try:
            stored = keyring.get_password(APP_NAME, GEMINI_KEY_NAME)
        except (KeyringError, RuntimeError):
            stored = None  # no keyring backend (headless server, CI): the environment decides
        if stored:
            return SecretStr(stored)
        key = self.gemini_api_key
        return key if key is not None and key.get_secret_value() else None

    def signing_key(self) -> SecretStr:
        """HUB_SECRET_KEY, or a throw-away one in dev mode; `HubConfigurationError` saying how
        to set one otherwise (the hub then refuses to start)."""
        key = self.secret_key.get_secret_value() if self.secret_key is not None else ""
        if not key and self.dev:
            return SecretStr(secrets.token_urlsafe(32))
        if not key:
            raise HubConfigurationError(
                "HUB_SECRET_KEY is not set. Set the same random value on every hub process, "
                f"for example: export HUB_SECRET_KEY=\"$(python3 -c '{_MAKE_KEY}')\" "
                "(or run `kiosk-hub serve --dev` for a throw-away development hub)"
            )
        if len(key) < MIN_SECRET_LENGTH:
            raise HubConfigurationError(
                f"HUB_SECRET_KEY has {len(key)} characters; use at least {MIN_SECRET_LENGTH} "
                f"random ones, for example: python3 -c '{_MAKE_KEY}'"
            )
        return SecretStr(key)

    @property
    def pool(self) -> PoolSize:
        return PoolSize(self.db_pool_size, self.db_max_overflow, self.db_pool_timeout_seconds)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hub.sqlite3'}"

    @property
    def spool_dir(self) -> Path:
        """Where uploads are received and verified before they land in the S3 store."""
        return self.data_dir / "incoming"

    @property
    def resolved_blob_dir(self) -> Path:
        return self.blob_dir or self.data_dir / "blobs"
