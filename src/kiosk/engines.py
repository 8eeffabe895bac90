"""Which interview engine a kiosk uses: Gemini over the offline engine when a key is set.

Every step Gemini cannot do (no network, a 429 storm, invalid output) falls back to the offline
engine for that step, and each question and score records the engine that produced it.
"""

from __future__ import annotations

from kiosk.brain import FallbackEngine, InterviewEngine, OfflineEngine
from kiosk.secrets import Secret, get_secret
from kiosk.settings import KioskSettings


def build_engine(settings: KioskSettings) -> InterviewEngine:
    offline = OfflineEngine()
    key = get_secret(Secret.GEMINI_API_KEY)
    if key is None:
        return offline
    from kiosk.brain.gemini import GeminiEngine, GeminiTransport

    transport = GeminiTransport(
        api_key=key.get_secret_value(),
        model=settings.gemini_model,
        base_url=settings.gemini_base_url or None,
        timeout_s=settings.gemini_timeout_seconds,
    )
    return FallbackEngine(GeminiEngine(transport, offline.scorer, offline.bank), offline)
