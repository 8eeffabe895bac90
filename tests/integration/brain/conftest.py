"""Integration fixtures: the real MiniLM (loaded once), the offline engine and a local fake
Gemini server that the real google-genai client talks to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.brain import InterviewContext, OfflineEngine, OfflineScorer
from kiosk.brain.embeddings import MiniLmEncoder, get_encoder
from kiosk.brain.gemini import GeminiEngine, GeminiTransport, RetryPolicy

from .fake_gemini import FakeGemini, schema_aware

DATA = Path(__file__).resolve().parents[2] / "data" / "brain"
API_KEY = "fake-key-0123456789"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def encoder() -> MiniLmEncoder:
    return get_encoder()


@pytest.fixture(scope="session")
def scorer(encoder: MiniLmEncoder) -> OfflineScorer:
    return OfflineScorer(encoder)


@pytest.fixture(scope="session")
def offline(scorer: OfflineScorer) -> OfflineEngine:
    return OfflineEngine(scorer=scorer)


@pytest.fixture(scope="session")
def backend_context() -> InterviewContext:
    return InterviewContext.build((DATA / "resume_backend.txt").read_text(),
                                  (DATA / "jd_backend.txt").read_text())


@pytest.fixture(scope="session")
def labelled() -> list[dict]:
    return json.loads((DATA / "labelled_answers.json").read_text())["cases"]


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeGemini]:
    with FakeGemini(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture
def fake(_fake_server: FakeGemini) -> FakeGemini:
    _fake_server.reset()
    _fake_server.default = schema_aware
    return _fake_server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def transport(fake: FakeGemini, sleeps: list[float]) -> GeminiTransport:
    return GeminiTransport(API_KEY, base_url=fake.base_url, timeout_s=2.0,
                           retry=RetryPolicy(max_attempts=4, sleep=sleeps.append))


@pytest.fixture
def gemini(transport: GeminiTransport, offline: OfflineEngine) -> GeminiEngine:
    return GeminiEngine(transport, offline.scorer, offline.bank)
