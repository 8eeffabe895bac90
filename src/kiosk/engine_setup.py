"""Which interview engine, help desk and on-device judge a kiosk uses.

Gemini sits over the offline engine when a key is set (the OS keyring first, then
`KIOSK_GEMINI_API_KEY`): every step Gemini cannot do (no network, a 429 storm, invalid output, a
repeated question) falls back to the offline engine for that step, and each question and score
records the engine that produced it; the help desk likewise answers offline whenever Gemini fails
or says something it must not. One `GeminiLink` per kiosk holds the circuit breaker the engine's
and the help desk's transports share: once one of them finds Gemini unreachable, both answer
offline at once for the cooldown.

The on-device judge (`kiosk.live.judging.LiveJudge`) re-judges each offline score in the
background; without its model the kiosk scores by embeddings alone, as before it existed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.brain import FallbackEngine, InterviewEngine, OfflineEngine
from kiosk.brain.gemini.breaker import MAX_COOLDOWN_S, CircuitBreaker
from kiosk.brain.helpdesk import HelpDesk
from kiosk.bus import EventBus
from kiosk.domain.events import StateChanged
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import SessionSettings
from kiosk.live.completion import RecordCompleter
from kiosk.live.judging import LiveJudge
from kiosk.live.writer import SerialWriter
from kiosk.secrets import Secret, get_secret
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings

if TYPE_CHECKING:
    from kiosk.brain.gemini import GeminiTransport

#: A candidate waiting on the help panel gets the offline reply after one retry, not four.
HELP_ATTEMPTS = 2
#: A candidate reaching one of these is about to be interviewed: load the judge now (the device
#: check and the first question give it the time), not at the kiosk's start.
WARM_JUDGE_ON = (SessionState.ID_VERIFIED, SessionState.DEVICES_CHECKED, SessionState.IN_PROGRESS)


@dataclass(frozen=True)
class GeminiLink:
    """The kiosk's way to Gemini: its settings and the breaker every transport shares."""

    settings: KioskSettings
    breaker: CircuitBreaker

    @classmethod
    def from_settings(cls, settings: KioskSettings) -> GeminiLink:
        cooldown = settings.gemini_offline_seconds
        return cls(settings, CircuitBreaker(cooldown, max(cooldown * 10, MAX_COOLDOWN_S)))

    def transport(
        self, *, max_attempts: int | None = None, timeout_s: float | None = None
    ) -> GeminiTransport | None:
        """The Gemini transport for the configured key, or None when no key is set (offline).

        google-genai is imported only when there is a key, so an offline kiosk never loads it.
        `max_attempts` and `timeout_s` override the retry budget and the configured timeout.
        """
        key = get_secret(Secret.GEMINI_API_KEY)
        if key is None:
            return None
        from kiosk.brain.gemini import GeminiTransport, RetryPolicy

        settings = self.settings
        return GeminiTransport(
            api_key=key.get_secret_value(),
            model=settings.gemini_model,
            base_url=settings.gemini_base_url or None,
            timeout_s=settings.gemini_timeout_seconds if timeout_s is None else timeout_s,
            retry=None if max_attempts is None else RetryPolicy(max_attempts=max_attempts),
            breaker=self.breaker,
        )

    def engine(self) -> InterviewEngine:
        offline = OfflineEngine()
        transport = self.transport()
        if transport is None:
            return offline
        from kiosk.brain.gemini import GeminiEngine

        return FallbackEngine(GeminiEngine(transport, offline.scorer, offline.bank), offline)

    def help_desks(self) -> Callable[[SessionSettings], HelpDesk]:
        """A help desk per session, with Gemini behind it when a key is set.

        The key is read and the client built here, once (at start-up), not each time a screen
        asks for a help desk: a keyring lookup or a client import must not stall the window.
        """
        transport = self.transport(
            max_attempts=HELP_ATTEMPTS, timeout_s=self.settings.gemini_help_timeout_seconds
        )
        if transport is None:
            return lambda session: HelpDesk(settings=session)
        from kiosk.brain.gemini.help import gemini_help

        remote = gemini_help(transport)
        return lambda session: HelpDesk(settings=session, remote=remote)


def live_judge(
    settings: KioskSettings,
    service: SessionService,
    writer: SerialWriter,
    bus: EventBus,
    completer: RecordCompleter,
) -> LiveJudge | None:
    """The kiosk's judge worker, warmed when a candidate reaches the device check; None when
    KIOSK_JUDGE_ENABLED is off. Each judged score may complete a reported session's record."""
    if not settings.judge_enabled:
        return None
    judge = LiveJudge(service, writer, bus, on_judged=completer.complete)

    def warm_on(event: StateChanged) -> None:
        if event.state in WARM_JUDGE_ON:
            judge.warm()

    bus.subscribe(StateChanged, warm_on)
    return judge


def gemini_transport(
    settings: KioskSettings,
    *,
    max_attempts: int | None = None,
    timeout_s: float | None = None,
) -> GeminiTransport | None:
    """A transport with a breaker of its own (a one-off command: `kiosk score`)."""
    return GeminiLink.from_settings(settings).transport(
        max_attempts=max_attempts, timeout_s=timeout_s
    )


def build_engine(settings: KioskSettings) -> InterviewEngine:
    """An engine with a breaker of its own (a one-off command: `kiosk interview`)."""
    return GeminiLink.from_settings(settings).engine()


def help_desks(settings: KioskSettings) -> Callable[[SessionSettings], HelpDesk]:
    return GeminiLink.from_settings(settings).help_desks()
