"""The candidate's help panel as the kiosk wires it: Gemini (the local fake of its REST API)
answers when a key is set, the offline intents when none is, or when Gemini fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot
from tests.integration.brain.fake_gemini import FakeGemini, Reply
from tests.ui import flow

from kiosk.domain.model import Question, QuestionKind
from kiosk.live.announcements import QuestionAsked
from ui.context import KioskContext
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]
API_KEY = "fake-help-key-0123"
QUESTION = Question("q-help-1", 0, QuestionKind.TECHNICAL, "How would you index a large table?")
#: Matched by keywords ("how much time"), so no embedding model is needed to classify it.
ASK = "How much time do I have left?"
OFFLINE = "You have 1 min 30 s left for this answer."


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeGemini]:
    with FakeGemini(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture
def gemini(_server: FakeGemini, monkeypatch: pytest.MonkeyPatch) -> FakeGemini:
    """The fake, reset, with the kiosk configured to use it (the key from the environment)."""
    _server.reset()
    _server.default = lambda _request: Reply.prose("unexpected request")
    monkeypatch.setenv("KIOSK_GEMINI_BASE_URL", _server.base_url)
    return _server


def _ask_help(qtbot: QtBot, context: KioskContext, make_window: MakeWindow) -> str:
    """The interview screen with a question up (90 s to answer); ask the help panel."""
    session = flow.demo_session(context.core.service)
    screen = make_window(context).interview
    screen.prepare(session)  # takes the session's help desk from the context
    screen.on_event(QuestionAsked(QUESTION, 1, 2, 90))
    screen.help_input.setText(ASK)
    screen.help_button.click()
    qtbot.waitUntil(lambda: screen.help_button.isEnabled(), timeout=30_000)
    return screen.help_reply.text()


def test_with_a_key_gemini_answers_the_help_question(
    qtbot: QtBot,
    make_context: MakeContext,
    make_window: MakeWindow,
    gemini: FakeGemini,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_GEMINI_API_KEY", API_KEY)
    reply = "A minute and a half is left on this one."
    gemini.reset(Reply.json({"intent": "time_left", "reply": reply}))
    assert _ask_help(qtbot, make_context(flow.recorded_media()), make_window) == reply
    assert len(gemini.requests) == 1
    assert ASK in gemini.requests[0].user_prompt  # the candidate's words, fenced in the prompt


def test_without_a_key_the_offline_help_desk_answers(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow, gemini: FakeGemini
) -> None:
    assert _ask_help(qtbot, make_context(flow.recorded_media()), make_window) == OFFLINE
    assert gemini.requests == []


def test_when_gemini_fails_the_offline_reply_is_shown(
    qtbot: QtBot,
    make_context: MakeContext,
    make_window: MakeWindow,
    gemini: FakeGemini,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_GEMINI_API_KEY", API_KEY)
    gemini.reset(*[Reply.error(500)] * 2)
    assert _ask_help(qtbot, make_context(flow.recorded_media()), make_window) == OFFLINE
    assert len(gemini.requests) == 2  # tried, retried once, then offline: the candidate waits


def test_a_slow_gemini_gives_way_to_the_offline_reply_at_the_help_timeout(
    qtbot: QtBot,
    make_context: MakeContext,
    make_window: MakeWindow,
    gemini: FakeGemini,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_GEMINI_API_KEY", API_KEY)
    monkeypatch.setenv("KIOSK_GEMINI_HELP_TIMEOUT_SECONDS", "1")
    late = {"intent": "time_left", "reply": "This reply comes too late to be shown."}
    gemini.reset(*[Reply.slow(4.0, late)] * 2)  # within the interview engine's 20 s, not 1 s
    assert _ask_help(qtbot, make_context(flow.recorded_media()), make_window) == OFFLINE
    assert len(gemini.requests) == 1  # the timeout opens the circuit breaker: no second wait
