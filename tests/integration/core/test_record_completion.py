"""A reported session whose scores all become final gets a new evaluation and a new version of
its report, once, on real SQLite, read back as a person would (pdftotext)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from tests.sample import answer, candidate, integrity, job, question, score, settings, take_to

from contract.evaluation import Recommendation
from kiosk.domain.events import ReportRevised
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import FinalEvaluation
from kiosk.live.completion import RecordCompleter
from kiosk.live.writer import SerialWriter
from kiosk.report.render import render_report
from kiosk.sessions import SessionService, StepRefusedError
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore


@pytest.fixture
def published() -> list[object]:
    return []


@pytest.fixture
def service(tmp_path: Path, published: list[object]) -> SessionService:
    svc = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"),
                         kiosk_id="k-9", publish=published.append)
    yield svc
    svc.close()


@pytest.fixture
def writer() -> SerialWriter:
    running = SerialWriter()
    yield running
    running.close()


def _reported(service: SessionService, fast: tuple[float, ...]) -> tuple[str, list[str]]:
    """A reported session whose answers have provisional scores `fast`, and a provisional
    evaluation and report made from them, as the conductor leaves it when the judge is late."""
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    answers = []
    for index, value in enumerate(fast):
        q = question(index)
        service.record_question(session.session_id, q)
        a = service.save_answer(session.session_id, answer(q.question_id, f"answer {index}"))
        service.save_score(session.session_id, score(a.answer_id, value, provisional=True))
        answers.append(a.answer_id)
    service.complete_interview(session.session_id, integrity())
    service.save_evaluation(session.session_id, FinalEvaluation(
        {"relevance": 3.0}, (), ("sql: weak or missing answer (3.0/10)",),
        Recommendation.STRONG_NO, "Spoke at a steady pace.", "offline-minilm", True))
    pdf = render_report(service.load(session.session_id), service.media)
    service.attach_report(session.session_id, pdf)
    return session.session_id, answers


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def test_when_the_last_score_is_final_the_result_is_revised_once(
    service: SessionService, writer: SerialWriter, published: list[object], tmp_path: Path
) -> None:
    session_id, answers = _reported(service, (3.0, 3.0))
    completer = RecordCompleter(service, writer)
    first = service.load(session_id).report
    service.save_score(session_id, score(answers[0], 8.0, provisional=False))
    assert completer.complete(session_id) is None  # one answer is still provisional

    service.save_score(session_id, score(answers[1], 7.0, provisional=False))
    report = completer.complete(session_id)
    assert report is not None and first is not None and report.pdf != first.pdf
    record = service.load(session_id)
    evaluation = record.evaluation
    assert evaluation is not None and not evaluation.provisional
    assert evaluation.overall["relevance"] == 7.5 and evaluation.recommendation is (
        Recommendation.STRONG_YES)
    assert evaluation.behavioural_note == "Spoke at a steady pace."  # kept as it was
    assert record.report == report and record.session.state is SessionState.REPORTED
    assert [e for e in published if isinstance(e, ReportRevised)] == [
        ReportRevised(session_id, report.pdf.sha256)]
    text = _text(service.media.read(report.pdf), tmp_path)
    assert "Strongly recommend" in text and "PROVISIONAL" not in text
    assert "Provisional:" not in text and "(final)" in text

    assert completer.complete(session_id) is None  # nothing more to do
    with pytest.raises(StepRefusedError, match="final already"):
        service.revise_result(session_id, replace(evaluation, provisional=True), b"%PDF")


def test_a_session_not_yet_reported_is_left_to_the_interview(
    service: SessionService, writer: SerialWriter
) -> None:
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    q = question(0)
    service.record_question(session.session_id, q)
    a = service.save_answer(session.session_id, answer(q.question_id, "text"))
    service.save_score(session.session_id, score(a.answer_id, 6.0, provisional=False))
    assert RecordCompleter(service, writer).complete(session.session_id) is None
    with pytest.raises(StepRefusedError, match="only a reported session"):
        service.revise_result(session.session_id, FinalEvaluation(
            {}, (), (), Recommendation.NO, "", "x", False), b"%PDF")
