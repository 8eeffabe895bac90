"""Secrets (Gemini key, hub token) from the OS keyring, with the environment as fallback.

Values come back as `SecretStr`, whose repr and str are masked, so a secret cannot reach a log
line or a traceback by accident. A kiosk with no keyring backend (headless Linux, CI) falls back
to `KIOSK_GEMINI_API_KEY` / `KIOSK_HUB_TOKEN`.
"""

from __future__ import annotations

import logging
import os
from enum import StrEnum

import keyring
from keyring.errors import KeyringError
from pydantic import SecretStr

SERVICE = "interview-kiosk"
_log = logging.getLogger(__name__)


class Secret(StrEnum):
    GEMINI_API_KEY = "gemini_api_key"
    HUB_TOKEN = "hub_token"

    @property
    def env_var(self) -> str:
        return f"KIOSK_{self.value.upper()}"


def _from_keyring(name: Secret) -> str | None:
    try:
        return keyring.get_password(SERVICE, name.value)
    except (KeyringError, RuntimeError) as error:
        _log.debug("keyring unavailable for %s: %s", name.value, type(error).__name__)
        return None


def get_secret(name: Secret) -> SecretStr | None:
    """The secret from the keyring, else from the environment, else None."""
    value = _from_keyring(name) or os.environ.get(name.env_var, "")
    return SecretStr(value) if value else None


def set_secret(name: Secret, value: str) -> None:
    """Store a secret in the OS keyring; raises `KeyringError` when there is none."""
    keyring.set_password(SERVICE, name.value, value)


def secret_source(name: Secret) -> str:
    """Where the secret would come from ("keyring", "environment" or "unset"), never its value."""
    if _from_keyring(name):
        return "keyring"
    return "environment" if os.environ.get(name.env_var) else "unset"
