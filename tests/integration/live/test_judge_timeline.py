"""The on-device judge in the interview's timeline, with the real model, real storage, Whisper
and the real scorer: the candidate never waits for it, it replaces each fast score in the
background, the report waits for it within a bound, and a report written before it finished is
revised when it does. Without its model the interview runs on embeddings, as before."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from tests.integration.live.livekit import ClipAnswers, EmbeddingsEngine, conductor, ready_session
from tests.sample import models_without_judge

from kiosk.brain.judge import PointJudge, get_judge_model
from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.live.announcements import AnswerJudged, AnswerScored, InterviewFinished, QuestionAsked
from kiosk.live.completion import RecordCompleter
from kiosk.live.conductor import ConductorOptions
from kiosk.live.judging import LiveJudge
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService

pytestmark = pytest.mark.slow
#: Long enough for the model on a loaded 2-core machine: these tests are about order, not speed
#: (`make bench` measures the time from the last answer to all judged).
PATIENT = 900.0


def patient_judge() -> PointJudge:
    """The kiosk's judge without its 60 s budget per answer: on a loaded machine one prompt
    can take a minute, and the budget would leave the answer provisional (what these tests
    check is that every answer ends judged, in order)."""
    return PointJudge(get_judge_model(), budget_s=PATIENT)


def _rows(service: SessionService, session_id: str, topic: str) -> list[dict]:
    """What the syncer will send the hub about the session, of one kind, in order."""
    with service._uow() as uow:
        return [r.payload for r in uow.outbox.pending(limit=1000)
                if r.topic == topic and r.aggregate_id == session_id]


def test_the_interview_never_waits_for_the_judge_and_the_report_waits_for_its_scores(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    """The judge cannot even load until the last answer is in: the interview still runs to
    its end at its own pace, then the report waits for the judged scores and prints them."""
    session_id = ready_session(service)
    bus, writer, seen = EventBus(), SerialWriter(), []
    bus.subscribe(object, seen.append)
    gate, scored = threading.Event(), []

    def held_load() -> PointJudge:
        gate.wait()
        return patient_judge()

    judge = LiveJudge(service, writer, bus, load=held_load)
    # the judge may load only once the last answer has its fast score
    bus.subscribe(AnswerScored, lambda e: (scored.append(e), len(scored) == 3 and gate.set()))
    running = conductor(service, ClipAnswers(clips), tmp_path, bus, writer,
                        engine=EmbeddingsEngine(),
                        options=ConductorOptions(judge_wait_s=PATIENT), judge=judge)
    record = running.run(session_id)
    judge.close()
    writer.close()

    kinds = [type(e).__name__ for e in seen]
    # every question was asked before the judge judged anything
    assert kinds.count("QuestionAsked") == 3
    assert kinds.index("AnswerJudged") > max(i for i, k in enumerate(kinds)
                                             if k == "QuestionAsked")
    fast = [e.score for e in seen if isinstance(e, AnswerScored)]
    assert all(s.provisional and s.path == "embeddings" for s in fast)
    judged = [e for e in seen if isinstance(e, AnswerJudged)]
    assert len(judged) == 3 and judge.status.judged == 3
    # the report waited: it holds the judged scores, final, with their points
    assert record.session.state is SessionState.REPORTED
    assert all(not s.provisional for s in record.scores.values())
    assert {s.answer_id: s for s in record.scores.values()} == {
        e.score.answer_id: e.score for e in judged}
    assert all(any(p.decided_by == "judge" for p in s.points) for s in record.scores.values())
    assert record.evaluation is not None and not record.evaluation.provisional
    # each answer was scored twice: the fast score, then the judged one over it
    rows = _rows(service, session_id, "score")
    assert len(rows) == 6
    assert [r["provisional"] for r in rows].count(True) == 3


def test_a_report_written_before_the_judge_finished_is_revised_when_it_does(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer, finished = EventBus(), SerialWriter(), []
    bus.subscribe(InterviewFinished, finished.append)
    gate = threading.Event()

    def held_load() -> PointJudge:
        gate.wait()
        return patient_judge()

    completer = RecordCompleter(service, writer)
    judge = LiveJudge(service, writer, bus, load=held_load, on_judged=completer.complete)
    running = conductor(service, ClipAnswers(clips), tmp_path, bus, writer,
                        engine=EmbeddingsEngine(), options=ConductorOptions(judge_wait_s=0.0),
                        judge=judge)
    first = running.run(session_id)  # the judge has not started: nothing is final
    assert first.session.state is SessionState.REPORTED and first.report is not None
    assert first.evaluation is not None and first.evaluation.provisional
    assert all(s.provisional for s in first.scores.values())
    assert finished[-1].report_sha256 == first.report.pdf.sha256

    gate.set()
    assert judge.wait(session_id, PATIENT)
    judge.close()
    writer.close()
    after = service.load(session_id)
    assert all(not s.provisional for s in after.scores.values())
    assert after.evaluation is not None and not after.evaluation.provisional
    assert after.evaluation.behavioural_note == first.evaluation.behavioural_note
    assert after.report is not None and after.report.pdf.sha256 != first.report.pdf.sha256
    # revised once, and both go to the hub: the provisional first, then the final
    reports = _rows(service, session_id, "report")
    assert [r["pdf"]["sha256"] for r in reports] == [first.report.pdf.sha256,
                                                     after.report.pdf.sha256]
    evaluations = _rows(service, session_id, "evaluation")
    assert [e["provisional"] for e in evaluations] == [True, False]
    assert after.session.state is SessionState.REPORTED


def test_without_the_judge_model_the_interview_runs_on_embeddings(
    service: SessionService, clips: list[np.ndarray], tmp_path: Path
) -> None:
    missing = models_without_judge(tmp_path / "models")
    session_id = ready_session(service)
    bus, writer, judged = EventBus(), SerialWriter(), []
    bus.subscribe(AnswerJudged, judged.append)
    judge = LiveJudge(service, writer, bus, load=lambda: PointJudge(get_judge_model(missing)))
    asked: list[QuestionAsked] = []
    bus.subscribe(QuestionAsked, asked.append)
    record = conductor(service, ClipAnswers(clips), tmp_path, bus, writer,
                       engine=EmbeddingsEngine(), options=ConductorOptions(judge_wait_s=PATIENT),
                       judge=judge).run(session_id)
    judge.close()
    writer.close()
    assert len(asked) == 3 and record.session.state is SessionState.REPORTED
    assert judged == [] and "not available" in judge.status.unavailable
    assert "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf" in judge.status.unavailable
    assert all(s.provisional and s.path == "embeddings" for s in record.scores.values())
    assert record.evaluation is not None and record.evaluation.provisional
    assert len(_rows(service, session_id, "score")) == 3  # one score each: nothing re-judged
