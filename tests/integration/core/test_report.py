"""Render real PDFs and read them back with poppler's tools, as a person's viewer would."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from tests.sample import answer, candidate, integrity, job, question, score, settings, take_to

from contract.proctoring import EventKind, IntegrityLevel, Severity
from contract.rubric import DecidedBy, Verdict
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    FinalEvaluation,
    IdCheck,
    ProctoringEvent,
    Recommendation,
    ScoredPoint,
)
from kiosk.report.render import render_report
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from proctor import load_policy, summarize

NAMES = ("José Ñúñez-Øberg", "Zoë Ağaoğlu")


def _jpeg(colour: int) -> bytes:
    ok, data = cv2.imencode(".jpg", np.full((120, 160, 3), colour, np.uint8))
    assert ok
    return data.tobytes()


def _poppler(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _text(pdf: Path) -> str:
    return _poppler("pdftotext", "-layout", str(pdf), "-")


@pytest.fixture
def service(tmp_path: Path) -> SessionService:
    svc = SessionService(
        open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"), kiosk_id="k-1"
    )
    yield svc
    svc.close()


def _stored_session(service: SessionService, name: str) -> str:
    session = service.create(candidate(name), job(), settings())
    take_to(service, session.session_id, SessionState.OPENED)
    service.record_consent(session.session_id, notice_version="1", notice_sha256="a" * 64)
    service.verify_identity(
        session.session_id,
        IdCheck(
            name_on_document=name.upper(),
            name_matches=True,
            face_distance=0.43,
            face_threshold=0.5,
            face_matches=True,
            expired=True,
            override_reason="renewal letter shown",
            overridden_by="inv-3",
        ),
    )
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    for index, (text, value, provisional) in enumerate(
        [
            (f"{name} speaking: I would add a composite index.", 7.5, True),
            ("Idempotent tasks with retries.", 6.0, False),
        ]
    ):
        q = question(index)
        service.record_question(session.session_id, q)
        a = service.save_answer(session.session_id, answer(q.question_id, text))
        service.save_score(session.session_id, score(a.answer_id, value, provisional=provisional))
    service.record_event(
        session.session_id,
        ProctoringEvent(
            new_id(),
            EventKind.MULTIPLE_PEOPLE,
            Severity.HIGH,
            0.91,
            12.0,
            14.5,
            "yolo-person",
            {"min_seconds": 1.0},
        ),
        snapshot_jpeg=_jpeg(90),
    )
    service.record_event(
        session.session_id,
        ProctoringEvent(
            new_id(),
            EventKind.NO_FACE,
            Severity.MEDIUM,
            0.8,
            30.0,
            36.0,
            "yunet",
            {"min_seconds": 3.0},
        ),
        snapshot_jpeg=_jpeg(30),
    )
    stored = service.load(session.session_id).events
    service.complete_interview(session.session_id, integrity(stored, 120.0))
    service.save_evaluation(
        session.session_id,
        FinalEvaluation(
            overall={"relevance": 7.0, "depth": 6.5, "structure": 6.0, "communication": 7.5},
            strengths=("Concrete examples",),
            concerns=("Little on testing",),
            recommendation=Recommendation.YES,
            behavioural_note="Spoke steadily.",
            engine="offline",
            provisional=True,
        ),
    )
    return session.session_id


@pytest.mark.parametrize("name", NAMES)
def test_report_shows_everything_with_names_intact_and_fonts_embedded(
    service: SessionService, tmp_path: Path, name: str
) -> None:
    session_id = _stored_session(service, name)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(service.load(session_id), service.media))

    text = _text(pdf)
    assert name in text  # cover
    assert name.upper() in text  # ID check, name on the document
    assert f"{name} speaking" in text  # transcript
    for expected in (
        "Backend Engineer",
        "k-1",
        "Recommend",
        "Overall scores",
        "PROVISIONAL",
        "(final)",
        "Identity check",
        "EXPIRED",
        "renewal letter shown",
        "Integrity confidence",
        "More than one person in view (high concern)",
        "review the snapshots",
        "Strengths",
        "Concrete examples",
        "1 of 2 answer scores are PROVISIONAL",
    ):
        assert expected in text, expected
    assert "cheat" not in text.lower()  # worded for review, never an accusation

    fonts = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(" yes " in line.split("WinAnsi", 1)[-1] for line in fonts), fonts
    images = _poppler("pdfimages", "-list", str(pdf))
    assert len(images.splitlines()) - 2 == 2  # one thumbnail per event with a snapshot


def test_each_answer_lists_its_points_with_the_candidates_words_and_who_decided(
    service: SessionService, tmp_path: Path
) -> None:
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    q = question(0)
    service.record_question(session.session_id, q)
    said = "I never bother with selectivity, I just add a b-tree index on every column."
    a = service.save_answer(session.session_id, answer(q.question_id, said))
    points = (
        ScoredPoint("Use a b-tree index", Verdict.COVERED,
                    "I just add a b-tree index on every column.", DecidedBy.JUDGE),
        ScoredPoint("Check the selectivity first", Verdict.CONTRADICTED,
                    "I never bother with selectivity", DecidedBy.JUDGE),
        ScoredPoint("Measure with EXPLAIN ANALYZE", Verdict.ABSENT, "", DecidedBy.EMBEDDINGS),
    )
    judged = replace(score(a.answer_id, 4.0, provisional=False), points=points,
                     path="judge+embeddings", engine="offline-judge")
    service.save_score(session.session_id, judged)
    pdf = tmp_path / "points.pdf"
    pdf.write_bytes(render_report(service.load(session.session_id), service.media))
    text = " ".join(_text(pdf).split())
    rows = text.split("Expected points", 1)[1].split("Evidence from the answer")[0]
    covered, rest = rows.split("Contradicted", 1)
    contradicted, absent = rest.split("Not covered", 1)
    assert "Covered Use a b-tree index" in covered
    assert "“I just add a b-tree index on every column.”" in covered
    assert "by the on-device judge" in covered
    assert "Check the selectivity first" in contradicted
    assert "“I never bother with selectivity”" in contradicted
    assert "by the on-device judge" in contradicted
    assert "Measure with EXPLAIN ANALYZE" in absent and "by closeness of wording" in absent
    assert "“" not in absent  # no words show a point the answer does not cover
    assert ("The on-device judge decided the points it could; closeness of wording decided the "
            "rest") in text
    assert "scored by the on-device judge (offline-judge) (final)" in text
    for enum_value in ("absent", "judge+embeddings", "DecidedBy", "Verdict."):
        assert enum_value not in text


def test_report_of_a_session_with_nothing_recorded_still_renders(
    service: SessionService, tmp_path: Path
) -> None:
    session = service.create(candidate(), job(), settings())
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(render_report(service.load(session.session_id), service.media))
    text = _text(pdf)
    assert "No question was asked." in text
    assert "No identity check was recorded" in text
    assert "did not complete, so no integrity summary was made" in text


def test_the_report_shows_the_integrity_judged_when_the_interview_ended(
    service: SessionService, tmp_path: Path
) -> None:
    """A report rendered later never re-judges: it prints the stored summary, whose level came
    from the policy of the day, and names that policy by its digest."""
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    looking_away = ProctoringEvent(
        new_id(), EventKind.LOOKING_AWAY, Severity.MEDIUM, 0.9, 10.0, 35.0, "yunet"
    )
    service.record_event(session.session_id, looking_away)
    default = load_policy()
    strict = default.model_copy(
        update={"summary": default.summary.model_copy(update={"low_share": 0.2})}
    )
    then = summarize([looking_away], 120.0, strict, analysed_seconds=120.0)
    assert then.level is IntegrityLevel.LOW
    assert summarize([looking_away], 120.0, default).level is IntegrityLevel.MEDIUM  # today's
    service.complete_interview(session.session_id, then)
    pdf = tmp_path / "later.pdf"
    pdf.write_bytes(render_report(service.load(session.session_id), service.media))
    text = _text(pdf)
    assert "Integrity confidence: LOW" in text
    assert strict.digest()[:12] in text and default.digest()[:12] not in text


def test_an_interview_no_camera_watched_is_reported_as_not_proctored(
    service: SessionService, tmp_path: Path
) -> None:
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    unwatched = summarize(
        [], 300.0, load_policy(), analysed_seconds=0.0, note="no camera picture arrived"
    )
    service.complete_interview(session.session_id, unwatched)
    pdf = tmp_path / "unwatched.pdf"
    pdf.write_bytes(render_report(service.load(session.session_id), service.media))
    text = " ".join(_text(pdf).split())
    assert "This interview was not proctored: no camera picture arrived" in text
    assert "Integrity confidence" not in text and "No proctoring rule fired" not in text


def test_cli_report_writes_the_pdf_and_marks_the_session_reported(
    kiosk_env: Path, tmp_path: Path
) -> None:
    from kiosk.settings import KioskSettings

    service = SessionService.from_settings(KioskSettings())
    session_id = _stored_session(service, NAMES[0])
    key = service.get(session_id).session_key
    service.close()
    out = tmp_path / "cli.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "report", key.lower(), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == out.resolve()
    assert NAMES[0] in _text(out)
    service = SessionService.from_settings(KioskSettings())
    assert service.get(session_id).state is SessionState.REPORTED
    assert service.load(session_id).report is not None
    service.close()
    missing = subprocess.run(
        [sys.executable, "-m", "kiosk", "report", "no-such-session", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert "never used" in missing.stderr or "no session" in missing.stderr


def test_the_appendix_lists_each_flags_thresholds_and_the_policy_digest(
    service: SessionService, tmp_path: Path
) -> None:
    """A reviewer can hold each flag against the policy that raised it: its values, and the
    policy's full digest (what `kiosk proctor --replay` and the hub compare against)."""
    session = service.create(candidate(), job(), settings())
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    away = ProctoringEvent(
        new_id(), EventKind.LOOKING_AWAY, Severity.MEDIUM, 0.9, 10.0, 35.0, "yunet",
        {"hold_s": 5.0, "max_pitch": 30.0, "max_yaw": 25.0, "release_s": 0.5},
    )
    service.record_event(session.session_id, away)
    summary = integrity([away], 120.0)
    service.complete_interview(session.session_id, summary)
    pdf = tmp_path / "thresholds.pdf"
    pdf.write_bytes(render_report(service.load(session.session_id), service.media))
    text = " ".join(_text(pdf).split())
    assert "judged with hold_s 5, max_pitch 30, max_yaw 25, release_s 0.5" in text
    assert f"Every flag above was judged under proctoring policy {summary.policy_digest}" in text
