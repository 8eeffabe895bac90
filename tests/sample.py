"""Small builders of domain objects for tests (fake people, clearly)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from contract.proctoring import IntegritySummary
from contract.rubric import Criterion
from kiosk.domain.devices import DeviceCheck, SpeakerCheck
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    CriterionScore,
    IdCheck,
    InterviewSession,
    JobDescription,
    ProctoringEvent,
    Question,
    QuestionKind,
    SessionSettings,
)
from kiosk.sessions import SessionService, new_id
from proctor import load_policy, summarize


def candidate(name: str = "José Ñúñez-Øberg") -> Candidate:
    return Candidate(full_name=name, email="jose@example.org", resume_text="Python, SQL, 6 years.")


def job() -> JobDescription:
    return JobDescription(
        title="Backend Engineer",
        text="Build APIs in Python.",
        required_skills=("python", "sql"),
        nice_to_have_skills=("kubernetes",),
    )


def settings() -> SessionSettings:
    return SessionSettings(question_count=3, seconds_per_question=120)


def question(index: int) -> Question:
    return Question(
        question_id=new_id(),
        index=index,
        kind=QuestionKind.TECHNICAL,
        text=f"Question {index}: how do you index a table?",
        skill="sql",
        expected_points=("b-tree", "selectivity"),
        engine="test",
    )


def answer(question_id: str, text: str) -> Answer:
    return Answer(answer_id=new_id(), question_id=question_id, text=text, end_reason="typed")


def score(answer_id: str, value: float, *, provisional: bool = True) -> AnswerScore:
    return AnswerScore(
        answer_id=answer_id,
        criteria=tuple(CriterionScore(c, value, "because") for c in Criterion),
        feedback="fine",
        evidence=("quote",),
        engine="offline",
        provisional=provisional,
    )


def passed_id_check(name: str = "José Ñúñez-Øberg") -> IdCheck:
    """An identity check that passed on its own (no override)."""
    return IdCheck(
        name_on_document=name,
        name_matches=True,
        face_distance=0.31,
        face_threshold=0.54,
        face_matches=True,
    )


def passed_device_check() -> DeviceCheck:
    return DeviceCheck(face_seen=True, microphone_heard=True, speakers=SpeakerCheck.HEARD)


#: The order of the steps before an interview, as the kiosk's use cases take them.
_BEFORE_INTERVIEW = (
    SessionState.OPENED,
    SessionState.ID_VERIFIED,
    SessionState.DEVICES_CHECKED,
    SessionState.IN_PROGRESS,
)


def take_to(service: SessionService, session_id: str, state: SessionState) -> InterviewSession:
    """Move a created session on to `state` through the real use cases, as the screens would:
    open, consent, a passed ID check, a passed device check, start."""
    session = service.get(session_id)
    reached = (
        _BEFORE_INTERVIEW.index(session.state) if session.state in _BEFORE_INTERVIEW else -1
    )
    for step in _BEFORE_INTERVIEW[reached + 1 : _BEFORE_INTERVIEW.index(state) + 1]:
        if step is SessionState.OPENED:
            session = service.open(session.session_key)
        elif step is SessionState.ID_VERIFIED:
            service.record_consent(
                session_id, notice_version="1", notice_sha256=hashlib.sha256(b"notice").hexdigest()
            )
            session = service.verify_identity(session_id, passed_id_check())
        elif step is SessionState.DEVICES_CHECKED:
            session = service.confirm_devices(session_id, passed_device_check())
        else:
            session = service.start_interview(session_id)
    return session


def integrity(
    events: Sequence[ProctoringEvent] = (), seconds: float = 600.0
) -> IntegritySummary:
    """The summary the conductor would store for `events`, under the bundled policy."""
    return summarize(events, seconds, load_policy(), analysed_seconds=seconds)


def models_without_judge(folder: Path) -> Path:
    """A models folder holding every model but the on-device judge (links to the real files),
    as on a kiosk where the judge was never installed."""
    from kiosk.brain.judge import MODEL_NAME
    from modelstore import default_models_dir, load_manifest

    source = default_models_dir().resolve()
    judge_dirs = {Path(f.path).parts[0] for f in load_manifest(source).files_of(MODEL_NAME)}
    folder.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir() and entry.name not in judge_dirs:
            (folder / entry.name).symlink_to(entry, target_is_directory=True)
    return folder
