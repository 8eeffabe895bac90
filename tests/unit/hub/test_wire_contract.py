"""The wire models mirror the kiosk's domain objects exactly as the outbox writes them."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from contract import wire
from contract.codec import to_data
from contract.fit import JobFit, RequirementFitLine, SkillEvidence
from contract.proctoring import EventKind, IntegrityLevel, IntegritySummary, KindTotal, Severity
from contract.rubric import Criterion, DecidedBy, Verdict
from contract.sessionkey import new_session_key
from kiosk.domain import model as d
from kiosk.domain.consent import Consent
from kiosk.domain.lifecycle import SessionState

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
REF = d.MediaRef("a" * 64, "snapshot", "image/jpeg", 10)


def _session() -> d.InterviewSession:
    return d.InterviewSession(
        str(uuid.uuid4()),
        new_session_key(),
        d.Candidate("Ada", "ada@example.org", "resume"),
        d.JobDescription("Engineer", "text", ("python",), ("rust",)),
        d.SessionSettings(),
        SessionState.CREATED,
        NOW,
        NOW,
        "k1",
    )


SAMPLES: list[tuple[str, object, type[BaseModel]]] = [
    ("session.created", _session(), wire.SessionWire),
    ("media", REF, wire.MediaPayload),
    ("question", d.Question("q1", 0, d.QuestionKind.INTRO, "Hi?"), wire.QuestionWire),
    (
        "answer",
        d.Answer("a1", "q1", "Hello", (d.TranscriptSegment(0, 1, "Hello", 0.9),), REF, NOW, NOW),
        wire.AnswerWire,
    ),
    (
        "score",
        d.AnswerScore("a1", (d.CriterionScore(Criterion.DEPTH, 7.0),), "ok", ("x",), "e", True),
        wire.ScoreWire,
    ),
    (
        "score",
        d.AnswerScore(
            "a1",
            (d.CriterionScore(Criterion.DEPTH, 7.0),),
            "ok",
            ("I add an index",),
            "offline-judge",
            False,
            0.8,
            (
                d.ScoredPoint("Add an index", Verdict.COVERED, "I add an index", DecidedBy.JUDGE),
                d.ScoredPoint("Use EXPLAIN", Verdict.ABSENT, note="the judge ran out of time"),
            ),
            "judge+embeddings",
        ),
        wire.ScoreWire,
    ),
    (
        "event",
        d.ProctoringEvent(
            "e1", EventKind.LOOKING_AWAY, Severity.LOW, 0.5, 1.0, 2.0, "det", {"t": 1.0}, REF
        ),
        wire.EventWire,
    ),
    ("consent", Consent("1", "c" * 64, True, NOW), wire.ConsentWire),
    ("consent", Consent("1", "c" * 64, False, NOW, agreed=False), wire.ConsentWire),
    (
        "integrity",
        IntegritySummary(
            IntegrityLevel.MEDIUM,
            ("More than one person was visible for 3 s in 1 period; review the snapshots",),
            (KindTotal(EventKind.MULTIPLE_PEOPLE, Severity.HIGH, 1, 3.0, ("2 faces",)),),
            600.0,
            598.5,
            "d" * 64,
        ),
        wire.IntegrityWire,
    ),
    (
        "fit",
        JobFit(
            62.5,
            (
                RequirementFitLine("Go or Java", True, False, ("java",),
                                   (SkillEvidence("java", "Built payment APIs in Java.", "Acme"),),
                                   planned_main_question=2),
                RequirementFitLine("Temenos T24", True, True,
                                   not_asked="not asked: 2 technical questions for 5 skills"),
                RequirementFitLine("kafka", False, False),
            ),
            ("python",),
            6.5,
        ),
        wire.FitWire,
    ),
    ("id_check", d.IdCheck("Ada", True, card_image=REF), wire.IdCheckWire),
    (
        "evaluation",
        d.FinalEvaluation({"depth": 7.0}, ("a",), ("b",), d.Recommendation.NO, "n", "e", False),
        wire.EvaluationWire,
    ),
    ("report", d.Report("s1", REF, NOW), wire.ReportWire),
]


@pytest.mark.parametrize(("topic", "value", "model"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_every_outbox_payload_validates_and_no_field_is_dropped(
    topic: str, value: object, model: type[BaseModel]
) -> None:
    payload = {"session_id": "s1", **to_data(value)}
    entry = wire.outbox_entry(7, topic, payload, NOW)
    assert entry.topic == topic
    domain_fields = {f.name for f in dataclasses.fields(value)}  # type: ignore[arg-type]
    wire_fields = {info.alias or name for name, info in model.model_fields.items()}
    assert domain_fields <= wire_fields, f"wire model misses {domain_fields - wire_fields}"
    assert entry.payload.model_dump(mode="json", include=domain_fields) == {
        k: v for k, v in payload.items() if k in domain_fields
    }


def test_a_score_from_a_kiosk_without_the_judge_still_validates() -> None:
    """An older kiosk sends no points and no path: the hub takes its score as it is."""
    old = {"session_id": "s", "answer_id": "a1", "engine": "offline-minilm", "provisional": True,
           "criteria": [{"criterion": "depth", "score": 4.0}], "feedback": "f", "evidence": []}
    entry = wire.outbox_entry(3, "score", old, NOW)
    assert isinstance(entry.payload, wire.ScoreWire)
    assert entry.payload.points == [] and entry.payload.path == ""


def test_a_point_with_an_unknown_verdict_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="verdict"):
        wire.ScoredPointWire(point="Add an index", verdict="maybe")


def test_state_change_payload_keeps_its_from_key_on_the_wire() -> None:
    entry = wire.outbox_entry(
        1, "session.state", {"session_id": "s", "from": "created", "to": "opened"}, NOW
    )
    dumped = wire.PushBatch(entries=[entry]).model_dump(mode="json")
    assert dumped["entries"][0]["payload"]["from"] == "created"


def test_the_settings_pack_fields_match_the_domain_settings() -> None:
    assert set(wire.SettingsWire.model_fields) == {
        f.name for f in dataclasses.fields(d.SessionSettings)
    }
    assert set(wire.SessionStateName.__args__) == {s.value for s in SessionState}


def test_an_unknown_topic_or_a_path_like_hash_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        wire.outbox_entry(1, "shell", {}, NOW)
    with pytest.raises(ValidationError):
        wire.MediaRefWire(sha256="../../etc/passwd", kind="x", content_type="x", size=1)
    assert not wire.is_sha256("../" + "a" * 61)
