"""Gemini through google-genai: schemas, fenced prompts, the transport policy and the engine."""

from __future__ import annotations

from kiosk.brain.gemini.breaker import CircuitBreaker
from kiosk.brain.gemini.engine import GeminiEngine
from kiosk.brain.gemini.transport import (
    DEFAULT_MODEL,
    GeminiAuthError,
    GeminiError,
    GeminiInvalidOutput,
    GeminiOffline,
    GeminiTransport,
    GeminiUnavailable,
    RetryPolicy,
)

__all__ = ["DEFAULT_MODEL", "CircuitBreaker", "GeminiAuthError", "GeminiEngine", "GeminiError",
           "GeminiInvalidOutput", "GeminiOffline", "GeminiTransport", "GeminiUnavailable",
           "RetryPolicy"]
