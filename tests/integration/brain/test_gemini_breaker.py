"""The Gemini path when Gemini cannot be reached: after one connection failure or timeout the
kiosk treats Gemini as offline for a cooldown, and every step goes to the offline engine at once
instead of paying the failure again; a trial after the cooldown brings Gemini back.

The real google-genai client talks to the local fake, which stops listening (connections are
refused, as with no network) and listens again; time is the breaker's clock, moved by the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.brain import FallbackEngine, InterviewContext, OfflineEngine
from kiosk.brain.gemini import GeminiEngine, GeminiTransport, RetryPolicy
from kiosk.brain.gemini.breaker import CircuitBreaker
from kiosk.brain.planner import plan_interview
from kiosk.domain.model import Answer, Question, QuestionKind

from .conftest import API_KEY
from .fake_gemini import GOOD_SCORE, FakeGemini, Reply, schema_aware

QUESTION = Question("q01-be-01", 0, QuestionKind.TECHNICAL,
                    "How would you find and fix a slow query in PostgreSQL?", "postgresql",
                    expected_points=("Use EXPLAIN ANALYZE", "Add an index"))
ANSWER = Answer("a1", "q01-be-01", "I run EXPLAIN ANALYZE and then add an index on the column.")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def down() -> Iterator[FakeGemini]:
    """A fake of its own (the others stay up), answering well while it listens."""
    with FakeGemini(api_key=API_KEY) as fake:
        fake.default = schema_aware
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def _engine(fake: FakeGemini, offline: OfflineEngine, breaker: CircuitBreaker,
            sleeps: list[float], timeout_s: float = 2.0) -> FallbackEngine:
    transport = GeminiTransport(API_KEY, base_url=fake.base_url, timeout_s=timeout_s,
                                retry=RetryPolicy(max_attempts=4, sleep=sleeps.append),
                                breaker=breaker)
    return FallbackEngine(GeminiEngine(transport, offline.scorer, offline.bank), offline)


def _score(engine: FallbackEngine, context: InterviewContext) -> str:
    return engine.score_answer(context, QUESTION, ANSWER).engine


def test_no_network_costs_one_attempt_then_every_step_goes_offline_at_once(
    down: FakeGemini, offline: OfflineEngine, backend_context: InterviewContext,
    clock: Clock, sleeps: list[float],
) -> None:
    breaker = CircuitBreaker(clock=clock)
    engine = _engine(down, offline, breaker, sleeps)
    down.go_away()
    assert _score(engine, backend_context) == offline.name
    assert sleeps == []  # a refused connection is not retried with backoff
    assert "connection failed" in engine.events[-1].reason
    down.come_back()  # Gemini is reachable again, but the cooldown is not over
    plan = plan_interview(backend_context, offline.name, offline.bank)
    assert _score(engine, backend_context) == offline.name
    assert engine.next_question(backend_context, plan, []).engine == offline.name
    assert down.requests == []  # not asked at all while the breaker is open
    assert all("offline for another 60 s" in e.reason for e in engine.events[1:])

    clock.now += 60.0  # cooldown over: the next step is a trial, and Gemini answers it
    assert _score(engine, backend_context) == engine.primary.name
    assert len(down.requests) == 1 and not breaker.state.open


def test_a_timeout_is_not_retried_and_opens_the_breaker(
    down: FakeGemini, offline: OfflineEngine, backend_context: InterviewContext,
    clock: Clock, sleeps: list[float],
) -> None:
    engine = _engine(down, offline, CircuitBreaker(clock=clock), sleeps, timeout_s=0.3)
    down.reset(Reply.slow(1.5, GOOD_SCORE))
    assert _score(engine, backend_context) == offline.name
    assert len(down.requests) == 1 and sleeps == []  # one timeout, not four
    assert "timed out" in engine.events[-1].reason
    assert _score(engine, backend_context) == offline.name
    assert len(down.requests) == 1


def test_a_failed_trial_doubles_the_cooldown(
    down: FakeGemini, offline: OfflineEngine, backend_context: InterviewContext,
    clock: Clock, sleeps: list[float],
) -> None:
    breaker = CircuitBreaker(cooldown_s=60.0, max_cooldown_s=200.0, clock=clock)
    engine = _engine(down, offline, breaker, sleeps)
    down.go_away()
    _score(engine, backend_context)
    clock.now += 60.0
    _score(engine, backend_context)  # the trial fails: offline for 120 s now
    assert breaker.state.open and breaker.state.cooldown_s == 120.0
    down.come_back()
    clock.now += 119.0
    assert _score(engine, backend_context) == offline.name and down.requests == []
    clock.now += 1.0
    assert _score(engine, backend_context) == engine.primary.name
    assert breaker.state.cooldown_s == 60.0  # a reply resets the cooldown


def test_http_errors_do_not_open_the_breaker(
    down: FakeGemini, offline: OfflineEngine, backend_context: InterviewContext,
    clock: Clock, sleeps: list[float],
) -> None:
    """A 429 storm means the network works: the retry policy handles it, step by step."""
    breaker = CircuitBreaker(clock=clock)
    engine = _engine(down, offline, breaker, sleeps)
    down.reset(*[Reply.error(429)] * 4)
    assert _score(engine, backend_context) == offline.name and len(down.requests) == 4
    assert not breaker.state.open
    assert _score(engine, backend_context) == engine.primary.name


def test_the_engine_and_the_help_desk_share_one_breaker(
    down: FakeGemini, monkeypatch: pytest.MonkeyPatch, backend_context: InterviewContext,
) -> None:
    """The interview engine finds Gemini unreachable: the help desk answers offline at once."""
    from kiosk.brain.helpdesk import HelpDesk
    from kiosk.domain.model import SessionSettings
    from kiosk.engine_setup import GeminiLink
    from kiosk.settings import KioskSettings

    monkeypatch.setenv("KIOSK_GEMINI_API_KEY", API_KEY)
    settings = KioskSettings(gemini_base_url=down.base_url)
    link = GeminiLink.from_settings(settings)
    engine = link.engine()
    desk: HelpDesk = link.help_desks()(SessionSettings())
    down.go_away()
    assert _score(engine, backend_context) != engine.primary.name
    down.come_back()
    reply = desk.reply("Could you repeat the question please?", QUESTION, 60)
    assert reply.text and down.requests == []
    assert link.breaker.state.open
