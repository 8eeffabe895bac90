"""An in-memory unit of work for unit tests of the use cases (cosmicpython's FakeUnitOfWork).

It keeps the real one's contract: changes staged inside `with` are visible only after
`commit()`, leaving without a commit discards them, and announced events are published only
after the commit. Repositories keep plain domain objects in dicts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any

from contract.fit import JobFit
from contract.proctoring import IntegritySummary
from kiosk.domain.consent import Consent
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    FinalEvaluation,
    IdCheck,
    InterviewSession,
    MediaRef,
    ProctoringEvent,
    Question,
    Report,
)
from kiosk.storage.repositories import NotFoundError
from kiosk.storage.unit_of_work import Publish


@dataclass
class Store:
    sessions: dict[str, InterviewSession] = field(default_factory=dict)
    history: list[tuple[str, str, str, datetime, str]] = field(default_factory=list)
    consents: list[tuple[str, Consent]] = field(default_factory=list)
    id_checks: list[tuple[str, IdCheck]] = field(default_factory=list)
    integrity: dict[str, IntegritySummary] = field(default_factory=dict)
    fits: dict[str, JobFit] = field(default_factory=dict)
    questions: dict[str, tuple[str, Question]] = field(default_factory=dict)
    answers: dict[str, tuple[str, Answer]] = field(default_factory=dict)
    scores: list[AnswerScore] = field(default_factory=list)
    events: dict[str, tuple[str, ProctoringEvent]] = field(default_factory=dict)
    evaluations: dict[str, FinalEvaluation] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    media: dict[str, MediaRef] = field(default_factory=dict)
    outbox: list[tuple[str, str, dict[str, Any], datetime]] = field(default_factory=list)


class FakeSessions:
    def __init__(self, store: Store) -> None:
        self._s = store

    def add(self, session: InterviewSession) -> None:
        self._s.sessions[session.session_id] = session

    def get(self, session_id: str) -> InterviewSession:
        if session_id not in self._s.sessions:
            raise NotFoundError(f"no session {session_id!r} on this kiosk")
        return self._s.sessions[session_id]

    def get_by_key(self, key: str) -> InterviewSession | None:
        return next((s for s in self._s.sessions.values() if s.session_key == key), None)

    def list(self) -> list[InterviewSession]:
        return sorted(self._s.sessions.values(), key=lambda s: s.created_at)

    def set_state(self, session_id: str, state: SessionState, at: datetime, reason: str) -> None:
        session = self.get(session_id)
        self._s.history.append((session_id, session.state.value, state.value, at, reason))
        self._s.sessions[session_id] = replace(session, state=state)

    def state_history(self, session_id: str) -> list[tuple[str, str, datetime, str]]:
        return [(f, t, at, r) for sid, f, t, at, r in self._s.history if sid == session_id]

    def add_consent(self, session_id: str, consent: Consent) -> None:
        self._s.consents.append((session_id, consent))

    def latest_consent(self, session_id: str) -> Consent | None:
        return next((c for sid, c in reversed(self._s.consents) if sid == session_id), None)

    def add_id_check(self, session_id: str, check: IdCheck, at: datetime) -> None:
        self._s.id_checks.append((session_id, check))

    def latest_id_check(self, session_id: str) -> IdCheck | None:
        return next((c for sid, c in reversed(self._s.id_checks) if sid == session_id), None)

    def set_integrity(self, session_id: str, summary: IntegritySummary, at: datetime) -> None:
        self._s.integrity[session_id] = summary

    def integrity(self, session_id: str) -> IntegritySummary | None:
        return self._s.integrity.get(session_id)

    def set_fit(self, session_id: str, fit: JobFit, at: datetime) -> None:
        self._s.fits[session_id] = fit

    def fit(self, session_id: str) -> JobFit | None:
        return self._s.fits.get(session_id)

    def add_question(self, session_id: str, question: Question, at: datetime) -> None:
        self._s.questions[question.question_id] = (session_id, question)

    def questions(self, session_id: str) -> list[Question]:
        found = [q for sid, q in self._s.questions.values() if sid == session_id]
        return sorted(found, key=lambda q: q.index)

    def add_answer(self, session_id: str, answer: Answer, at: datetime) -> None:
        self._s.answers[answer.answer_id] = (session_id, answer)

    def answers(self, session_id: str) -> list[Answer]:
        return [a for sid, a in self._s.answers.values() if sid == session_id]

    def add_score(self, score: AnswerScore, at: datetime) -> None:
        self._s.scores.append(score)

    def latest_scores(self, session_id: str) -> dict[str, AnswerScore]:
        mine = {a.answer_id for a in self.answers(session_id)}
        return {s.answer_id: s for s in self._s.scores if s.answer_id in mine}

    def add_event(self, session_id: str, event: ProctoringEvent) -> None:
        owner = self._s.events.get(event.event_id, (session_id, event))[0]
        if owner != session_id:
            raise ValueError(f"proctoring event {event.event_id} belongs to another session")
        self._s.events[event.event_id] = (session_id, event)

    def events(self, session_id: str) -> list[ProctoringEvent]:
        found = [e for sid, e in self._s.events.values() if sid == session_id]
        return sorted(found, key=lambda e: e.start)

    def set_evaluation(self, session_id: str, evaluation: FinalEvaluation) -> None:
        self._s.evaluations[session_id] = evaluation

    def evaluation(self, session_id: str) -> FinalEvaluation | None:
        return self._s.evaluations.get(session_id)

    def add_report(self, report: Report) -> None:
        self._s.reports.append(report)

    def latest_report(self, session_id: str) -> Report | None:
        return next((r for r in reversed(self._s.reports) if r.session_id == session_id), None)


class FakeMedia:
    def __init__(self, store: Store) -> None:
        self._s = store

    def add(self, ref: MediaRef, at: datetime) -> None:
        self._s.media.setdefault(ref.sha256, ref)


class FakeOutbox:
    def __init__(self, store: Store) -> None:
        self._s = store

    def add(self, topic: str, aggregate_id: str, payload: dict[str, Any], at: datetime) -> None:
        self._s.outbox.append((topic, aggregate_id, payload, at))

    def count_pending(self) -> int:
        return len(self._s.outbox)


class FakeUnitOfWork:
    """Stages on a copy of `store`; `commit()` makes the copy the store, then publishes."""

    def __init__(self, store: Store, publish: Publish) -> None:
        self.store = store
        self._publish = publish
        self._staged: Store | None = None
        self._events: list[object] = []
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        self._staged = copy.deepcopy(self.store)
        self._events = []
        self.sessions = FakeSessions(self._staged)
        self.media = FakeMedia(self._staged)
        self.outbox = FakeOutbox(self._staged)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._staged, self._events = None, []

    def announce(self, event: object) -> None:
        self._events.append(event)

    def commit(self) -> None:
        assert self._staged is not None, "commit() outside the unit of work's `with` block"
        for name in vars(self.store):
            setattr(self.store, name, getattr(self._staged, name))
        self.commits += 1
        events, self._events = self._events, []
        for event in events:
            self._publish(event)
