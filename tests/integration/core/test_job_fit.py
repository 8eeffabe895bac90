"""The resume's fit with the job, stored with the session and printed in the PDF in words: each
required skill, whether the resume shows it (and where), and the question that asked it, counted
the way the report numbers its questions (a follow-up takes a number too)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from tests.sample import answer, candidate, score, take_to

from kiosk.brain import InterviewContext
from kiosk.brain.fit import job_fit
from kiosk.brain.planner import plan_interview
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import JobDescription, Question, QuestionKind, SessionSettings
from kiosk.report.render import render_report
from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore

DATA = Path(__file__).resolve().parents[2] / "data" / "brain"


@pytest.fixture
def service(tmp_path: Path) -> SessionService:
    svc = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"))
    yield svc
    svc.close()


def _context() -> InterviewContext:
    """A real resume and job description, "Go or Java" in the text, and a skill HR typed that
    the resume lacks; four questions: an intro, two technical, one behavioural."""
    jd = (DATA / "jd_backend.txt").read_text() + "\nGo or Java is required.\n"
    return InterviewContext.build(
        (DATA / "resume_backend.txt").read_text(), jd,
        replace(SessionSettings(), question_count=4), required_skills=("Temenos T24",),
    )


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_fit_is_kept_with_the_session_and_printed_in_words(
    service: SessionService, tmp_path: Path
) -> None:
    context = _context()
    plan = plan_interview(context, "offline")
    session = service.create(candidate(), JobDescription("Backend Engineer", context.job.text),
                             context.settings)
    sid = session.session_id
    take_to(service, sid, SessionState.IN_PROGRESS)
    service.record_fit(sid, job_fit(context.match, plan))
    # asked: main 1 (intro), main 2 (Python), a follow-up, main 3; the interview then ended, so
    # the plan's main question 4 (HR's Temenos T24) was never reached
    asked = [Question("q1", 0, QuestionKind.INTRO, "Tell us about yourself."),
             Question("q2", 1, QuestionKind.TECHNICAL, "You list Python at Acme Payments..."),
             Question("q3", 2, QuestionKind.FOLLOW_UP, "Say more?", follow_up_of="q2"),
             Question("q4", 3, QuestionKind.BEHAVIOURAL, "A hard call you made?")]
    for question in asked:
        service.record_question(sid, question)
        service.save_answer(sid, answer(question.question_id, "An answer."))
    service.save_score(sid, score(service.load(sid).answers[1].answer_id, 6.0))

    record = service.load(sid)
    assert record.fit is not None and record.fit == job_fit(context.match, plan)
    text = " ".join(_text(render_report(record, service.media), tmp_path / "r.pdf").split())

    assert "The resume and the job" in text
    assert "The resume shows 7 of the 10 required skills; the interview plan asks about 2" in text
    # Python: the plan's main question 2 is the report's question 2
    assert "Python Shown (used at Acme Payments)" in text
    assert "Asked in question 2" in text
    # the choice is met by the alternative the resume shows, with its words
    assert "Go or Java Shown through go" in text
    assert "Backend engineer with 7+ years of experience building APIs" in text
    # HR's skill: not on the resume, planned for a question the interview never reached (the
    # table's columns wrap: one row reads across several lines)
    assert "Temenos T24 (named by Not found on the resume Planned, but the interview" in text
    # the others: why no question asked about them
    assert "Not asked: 2 technical" in text
    assert "Not required: questions go to the required skills first" in text
    for field in ("planned_main_question", "met_by", "from_hr", "not_asked", "JobFit"):
        assert field not in text


def test_the_plans_main_question_is_counted_past_follow_ups(
    service: SessionService, tmp_path: Path
) -> None:
    context = _context()
    plan = plan_interview(context, "offline")
    fit = job_fit(context.match, plan)
    python = next(r for r in fit.required if r.requirement == "Python")
    assert python.planned_main_question == 2
    # with a follow-up before it, the plan's main question 2 is the report's question 3
    assert python.in_interview((1, 3, 4)) == "Asked in question 3"
    assert python.in_interview((1,)) == "Planned, but the interview ended before that question"


def test_a_session_from_before_the_fit_prints_no_fit_page(
    service: SessionService, tmp_path: Path
) -> None:
    session = service.create(candidate(), JobDescription("Backend Engineer", "Python."),
                             SessionSettings())
    record = service.load(session.session_id)
    assert record.fit is None
    text = _text(render_report(record, service.media), tmp_path / "r.pdf")
    assert "The resume and the job" not in text and "Interview report" in text
