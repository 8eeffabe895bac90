"""Gemini through google-genai: schemas, fenced prompts, the transport policy and the engine."""

from __future__ import annotations

import os

from kiosk.brain.gemini.engine import GeminiEngine
from kiosk.brain.gemini.transport import (
    DEFAULT_MODEL,
    GeminiAuthError,
    GeminiError,
    GeminiInvalidOutput,
    GeminiTransport,
    GeminiUnavailable,
    RetryPolicy,
)

API_KEY_ENV = "KIOSK_GEMINI_API_KEY"
BASE_URL_ENV = "KIOSK_GEMINI_BASE_URL"
MODEL_ENV = "KIOSK_GEMINI_MODEL"


def transport_from_env(
    timeout_s: float = 20.0, retry: RetryPolicy | None = None
) -> GeminiTransport:
    """Key from KIOSK_GEMINI_API_KEY (the lead adds keyring on top), base URL override from
    KIOSK_GEMINI_BASE_URL (the local fake in tests). Raises GeminiAuthError without a key."""
    return GeminiTransport(
        api_key=os.environ.get(API_KEY_ENV, ""),
        model=os.environ.get(MODEL_ENV, DEFAULT_MODEL),
        base_url=os.environ.get(BASE_URL_ENV) or None,
        timeout_s=timeout_s,
        retry=retry,
    )


__all__ = ["API_KEY_ENV", "BASE_URL_ENV", "DEFAULT_MODEL", "MODEL_ENV", "GeminiAuthError",
           "GeminiEngine", "GeminiError", "GeminiInvalidOutput", "GeminiTransport",
           "GeminiUnavailable", "RetryPolicy", "transport_from_env"]
