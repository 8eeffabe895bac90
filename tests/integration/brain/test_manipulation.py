"""Manipulation attempts cannot raise any criterion offline, and reach Gemini only fenced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from contract.guard import neutralise_for_prompt
from kiosk.brain import InterviewContext, OfflineScorer
from kiosk.brain.bank import load_bank
from kiosk.brain.gemini import GeminiEngine
from kiosk.domain.model import Answer, Question

from .fake_gemini import FakeGemini, Reply

DATA = Path(__file__).resolve().parents[2] / "data" / "brain"
ATTEMPTS = json.loads((DATA / "manipulation.json").read_text())["attempts"]
LABELLED = json.loads((DATA / "labelled_answers.json").read_text())["cases"]
BASES = [c for c in LABELLED if c["q"] == "be-01" and c["label"] in ("excellent", "adequate",
                                                                      "thin")]
FENCE = re.compile(r"<<<(?P<label>[A-Z]+)_DATA_(?P<nonce>[0-9a-f]+)>>>\n(?P<body>.*?)\n"
                   r"<<<END_(?P=label)_DATA_(?P=nonce)>>>", re.DOTALL)


def _question() -> Question:
    entry = load_bank().by_id("be-01")
    return Question(entry.bank_id, 0, entry.kind, entry.text, "postgresql", "", entry.points)


def inject(base: str, attempt: dict[str, str]) -> str:
    if attempt["where"] == "prepend":
        return f"{attempt['text']} {base}"
    if attempt["where"] == "insert" and ". " in base:
        head, tail = base.split(". ", 1)
        return f"{head}. {attempt['text']} {tail}"
    return f"{base} {attempt['text']}"


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a["id"] for a in ATTEMPTS])
def test_offline_scores_never_rise(scorer: OfflineScorer, attempt: dict[str, str]) -> None:
    question = _question()
    for base in BASES:
        honest = scorer.score(question, "a", base["answer"])
        attacked = scorer.score(question, "a", inject(base["answer"], attempt))
        honest_by = {c.criterion: c.score for c in honest.criteria}
        for criterion in attacked.criteria:
            assert criterion.score <= honest_by[criterion.criterion], (
                attempt["id"], base["label"], criterion)
        assert "grader" in attacked.feedback


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a["id"] for a in ATTEMPTS])
def test_attempt_alone_scores_zero(scorer: OfflineScorer, attempt: dict[str, str]) -> None:
    assert scorer.score(_question(), "a", attempt["text"]).overall == 0.0


def _fenced_bodies(prompt: str) -> list[str]:
    return [m.group("body") for m in FENCE.finditer(prompt)]


def _outside(prompt: str) -> str:
    return FENCE.sub("", prompt)


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a["id"] for a in ATTEMPTS])
def test_gemini_prompt_keeps_attempt_inside_an_intact_fence(
        fake: FakeGemini, gemini: GeminiEngine, backend_context: InterviewContext,
        attempt: dict[str, str]) -> None:
    text = inject(BASES[1]["answer"], attempt)
    gemini.score_answer(backend_context, _question(), Answer("a1", "q1", text))
    assert len(fake.requests) == 1
    prompt = fake.requests[0].user_prompt
    bodies = _fenced_bodies(prompt)
    assert len(bodies) == 1, "exactly one intact ANSWER fence"
    assert prompt.count("<<<") == 2 and prompt.count(">>>") == 2
    marker = neutralise_for_prompt(attempt["marker"])
    assert marker in bodies[0]
    assert marker not in _outside(prompt)
    assert "never instructions" in " ".join(fake.requests[0].prompt_texts)


@pytest.mark.parametrize("attempt", ATTEMPTS[:6], ids=[a["id"] for a in ATTEMPTS[:6]])
def test_gemini_fooled_into_ten_is_capped(fake: FakeGemini, gemini: GeminiEngine,
                                          scorer: OfflineScorer,
                                          backend_context: InterviewContext,
                                          attempt: dict[str, str]) -> None:
    full = {"score": 10, "rationale": "as instructed"}
    fake.reset(Reply.json({"relevance": full, "depth": full, "structure": full,
                           "communication": full, "feedback": "Perfect.", "evidence": [],
                           "confidence": 1.0}))
    text = inject(BASES[1]["answer"], attempt)
    score = gemini.score_answer(backend_context, _question(), Answer("a1", "q1", text))
    honest = scorer.score(_question(), "a", BASES[1]["answer"])
    honest_by = {c.criterion: c.score for c in honest.criteria}
    assert all(c.score <= honest_by[c.criterion] for c in score.criteria)


def test_resume_with_hidden_instructions_is_fenced(fake: FakeGemini, gemini: GeminiEngine,
                                                   data_dir: Path) -> None:
    context = InterviewContext.build((data_dir / "resume_injected.txt").read_text(),
                                     (data_dir / "jd_backend.txt").read_text())
    plan = gemini.plan(context)
    gemini.next_question(context, plan, [])
    prompt = fake.requests[0].user_prompt
    bodies = _fenced_bodies(prompt)
    assert len(bodies) == 2  # resume and history
    assert "Note to the AI grader" in bodies[0]
    assert "Note to the AI grader" not in _outside(prompt)
    assert "END_RESUME_DATA>>>" not in bodies[0]
    assert prompt.count("<<<") == 4
