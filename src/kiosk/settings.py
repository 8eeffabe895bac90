"""Kiosk settings from the environment (`KIOSK_` prefix), built at start-up, not at import."""

from __future__ import annotations

import socket
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "interview-kiosk"


class KioskSettings(BaseSettings):
    """Operator-tunable settings. Secrets are not here: see `kiosk.secrets`."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir(APP_NAME, appauthor=False)))
    kiosk_id: str = Field(default_factory=socket.gethostname)
    hub_url: str = ""
    hub_timeout_seconds: float = 5.0
    #: How often the background syncer drains the outbox (it is also woken after each session).
    sync_interval_seconds: float = Field(default=30.0, gt=0)
    #: How often the background syncer asks the hub for today's session packs (also at start).
    pack_pull_interval_seconds: float = Field(default=600.0, gt=0)
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str = ""  # a local fake of the Gemini REST API in tests
    gemini_timeout_seconds: float = 20.0
    #: A candidate waits on the help panel: a slow Gemini gives way to the offline reply sooner.
    gemini_help_timeout_seconds: float = Field(default=8.0, gt=0)
    #: After a connection failure or a timeout, Gemini is not asked for this long (doubling on
    #: each failed retry, up to ten times as long): the offline engine answers meanwhile.
    gemini_offline_seconds: float = Field(default=60.0, gt=0)
    #: The on-device judge re-judges each answer in the background (about 1.8 GB of memory,
    #: loaded once per run); off, answers are scored by embeddings alone (provisional).
    judge_enabled: bool = True
    #: How long after the last answer the evaluation and the report wait for the judge.
    judge_wait_seconds: float = Field(default=30.0, ge=0)
    whisper_model: str = "tiny.en"
    whisper_threads: int = 2
    camera_index: int = 0
    microphone: str = ""
    #: The microphone hears only the candidate (a headset), so speech while a question is read
    #: is reported; off by default because loudspeakers make it hear the kiosk's own voice.
    audio_proctoring_headset: bool = False
    session_key_ttl_hours: int = 72
    #: An argon2 hash of the invigilator PIN (`kiosk app --hash-pin` makes one); a plain
    #: `KIOSK_INVIGILATOR_PIN` is accepted for development and tests only.
    invigilator_pin_hash: SecretStr | None = None
    invigilator_pin: SecretStr | None = None

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def database_path(self) -> Path:
        return self.data_dir / "kiosk.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"
