"""The portal's glossary covers every code of the shared vocabularies: a value added to an enum
without words fails here, before a page can show it raw."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import pytest
from jinja2 import Environment

from contract.evaluation import Recommendation
from contract.proctoring import EventKind, EventSource, IntegrityLevel, Severity
from contract.rubric import Criterion
from contract.wire import SessionStateName
from hub import glossary
from kiosk.domain.model import QuestionKind

#: Each vocabulary and the glossary table that must give every member of it words.
COVERED: tuple[tuple[type[StrEnum] | tuple[str, ...], dict[str, str]], ...] = (
    (Recommendation, glossary.RECOMMENDATIONS),
    (Severity, glossary.SEVERITIES),
    (IntegrityLevel, glossary.INTEGRITY),
    (Criterion, glossary.CRITERIA),
    (EventSource, glossary.SOURCES),
    (QuestionKind, glossary.QUESTION_KINDS),
    (SessionStateName.__args__, glossary.STATES),
    (SessionStateName.__args__, glossary.STATE_EVENTS),
)
AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("vocabulary", "table"), COVERED, ids=lambda v: getattr(v, "__name__", ""))
def test_every_code_has_words(
    vocabulary: type[StrEnum] | tuple[str, ...], table: dict[str, str]
) -> None:
    codes = [str(getattr(member, "value", member)) for member in vocabulary]
    missing = [code for code in codes if code not in table]
    assert not missing
    for code in codes:
        words = table[code]
        assert words and words != code and "_" not in words, code


def test_every_event_kind_and_its_source_have_words() -> None:
    for kind in EventKind:
        assert glossary.event_kind(kind.value) not in ("", kind.value)
        assert glossary.event_source(kind.value) == glossary.SOURCES[kind.source]


def test_a_code_this_version_does_not_know_is_still_readable() -> None:
    assert glossary.event_kind("camera_glare") == "Camera glare"
    assert glossary.state("on_hold") == "On hold"
    assert glossary.recommendation("maybe_later") == "Maybe later"


def test_engines_are_named_for_people() -> None:
    assert glossary.engine("gemini:gemini-2.5-flash") == "Gemini (gemini-2.5-flash)"
    assert glossary.engine("offline-minilm") == "the on-device scorer (closeness of wording)"
    assert glossary.engine("offline-judge") == "the on-device judge"
    assert glossary.engine("offline-heuristic") == "the on-device scorer"
    assert glossary.engine("llama.cpp qwen2 q4_k_m") == "another scorer"


def test_scores_carry_their_scale() -> None:
    assert glossary.score(6.5) == "6.5 / 10"
    assert glossary.score(7.0) == "7 / 10"
    assert glossary.score(None) == "not scored"


def test_history_lines_are_sentences_without_hashes() -> None:
    digest = "ab" * 32
    note = ("opened", "opened", AT, f"consent given: notice 1 sha256:{digest}; biometric")
    assert glossary.history(note) == "Note: consent given: notice 1; biometric."
    assert glossary.history(("created", "opened", AT, "session key accepted")) == (
        "The key was entered at a kiosk (session key accepted)."
    )
    assert glossary.history(("devices_checked", "in_progress", AT, "interview started")) == (
        "The interview began (interview started)."
    )
    assert glossary.history(("in_progress", "completed", AT, "")) == "The interview ended."


def test_identity_results_are_sentences() -> None:
    assert glossary.id_fact("name_matches", True) == "The name on the ID matches the booking"
    assert glossary.id_fact("face_matches", False) == "The face does not match the ID photo"


def test_thresholds_and_times_read_as_words() -> None:
    assert glossary.threshold("hold_s") == "Hold (seconds)"
    assert glossary.threshold("face_score") == "Face score"
    assert glossary.seconds(75.4) == "1:15"


def test_templates_get_every_filter() -> None:
    env = Environment(autoescape=True)
    glossary.register(env)
    page = env.from_string(
        "{{ 'strong_no' | recommendation }}|{{ 'no_face' | event_kind }}|{{ 6.5 | score }}|"
        "{{ id_fact('name_matches', True) }}"
    ).render()
    assert page == ("Strongly do not recommend|No face in view|6.5 / 10|"
                    "The name on the ID matches the booking")
