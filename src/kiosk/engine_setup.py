"""Which interview engine and help desk a kiosk uses: Gemini over the offline ones when a key is
set (the OS keyring first, then `KIOSK_GEMINI_API_KEY`).

Every step Gemini cannot do (no network, a 429 storm, invalid output) falls back to the offline
engine for that step, and each question and score records the engine that produced it; the help
desk likewise answers offline whenever Gemini fails or says something it must not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.brain import FallbackEngine, InterviewEngine, OfflineEngine
from kiosk.brain.helpdesk import HelpDesk
from kiosk.domain.model import SessionSettings
from kiosk.secrets import Secret, get_secret
from kiosk.settings import KioskSettings

if TYPE_CHECKING:
    from kiosk.brain.gemini import GeminiTransport

#: A candidate waiting on the help panel gets the offline reply after one retry, not four.
HELP_ATTEMPTS = 2


def gemini_transport(
    settings: KioskSettings,
    *,
    max_attempts: int | None = None,
    timeout_s: float | None = None,
) -> GeminiTransport | None:
    """The Gemini transport for the configured key, or None when no key is set (offline).

    google-genai is imported only when there is a key, so an offline kiosk never loads it.
    `max_attempts` and `timeout_s` override the retry budget and the configured timeout.
    """
    key = get_secret(Secret.GEMINI_API_KEY)
    if key is None:
        return None
    from kiosk.brain.gemini import GeminiTransport, RetryPolicy

    return GeminiTransport(
        api_key=key.get_secret_value(),
        model=settings.gemini_model,
        base_url=settings.gemini_base_url or None,
        timeout_s=settings.gemini_timeout_seconds if timeout_s is None else timeout_s,
        retry=None if max_attempts is None else RetryPolicy(max_attempts=max_attempts),
    )


def build_engine(settings: KioskSettings) -> InterviewEngine:
    offline = OfflineEngine()
    transport = gemini_transport(settings)
    if transport is None:
        return offline
    from kiosk.brain.gemini import GeminiEngine

    return FallbackEngine(GeminiEngine(transport, offline.scorer, offline.bank), offline)


def help_desks(settings: KioskSettings) -> Callable[[SessionSettings], HelpDesk]:
    """A help desk per session, with Gemini behind it when a key is set.

    The key is read and the client built here, once (at start-up), not each time a screen
    asks for a help desk: a keyring lookup or a client import must not stall the window.
    """
    transport = gemini_transport(
        settings, max_attempts=HELP_ATTEMPTS, timeout_s=settings.gemini_help_timeout_seconds
    )
    if transport is None:
        return lambda session: HelpDesk(settings=session)
    from kiosk.brain.gemini.help import gemini_help

    remote = gemini_help(transport)
    return lambda session: HelpDesk(settings=session, remote=remote)
