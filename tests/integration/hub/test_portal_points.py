"""What the kiosk's on-device judge decided reaches HR: each answer's points on the session
page, in words, and a PDF rendered on the hub that shows what the kiosk's PDF shows. A real
kiosk (SessionService) pushes to a real hub, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from tests.integration.hub.portal_support import PASSWORD, Portal, portal_hub, synced_session
from tests.integration.hub.support import memory_keyring
from tests.sample import score

from contract.proctoring import EventKind, Severity
from contract.rubric import DecidedBy, Verdict
from hub.rescoring.report import render_session_report
from hub.uow import UnitOfWork
from kiosk.brain import InterviewContext
from kiosk.brain.fit import job_fit
from kiosk.brain.planner import plan_interview
from kiosk.domain.model import ProctoringEvent, ScoredPoint
from kiosk.report.render import render_report
from kiosk.sessions import SessionService, new_id

POINTS = (
    ScoredPoint("Add an index on the filtered column", Verdict.COVERED,
                "Answer 0 adds an index on the customer column.", DecidedBy.JUDGE),
    ScoredPoint("Keep statistics current", Verdict.CONTRADICTED,
                "Statistics <never> matter & I skip them.", DecidedBy.JUDGE),
    ScoredPoint("Measure before and after", Verdict.ABSENT, "", DecidedBy.EMBEDDINGS),
)


@pytest.fixture
def portal(tmp_path: Path, database_url: str) -> Iterator[Portal]:
    with memory_keyring(), portal_hub(tmp_path / "hub", database_url) as hub:
        yield hub


def _record_fit(service: SessionService, session_id: str) -> None:
    """What the conductor does when the interview starts: the fit, with the plan's coverage
    of the skills HR typed on the hub (python, sql), from the pulled pack."""
    context = InterviewContext.for_session(service.load(session_id).session)
    service.record_fit(session_id, job_fit(context.match, plan_interview(context, "offline")))


def _judged(kiosk_pdf: list[bytes]) -> object:
    """The kiosk's judge finishes the first answer before the push; the second stays
    provisional. A real snapshot is recorded too, so both PDFs carry a picture."""

    def judge_first_answer(service: SessionService, session_id: str) -> None:
        _record_fit(service, session_id)
        record = service.load(session_id)
        first = record.answer_for(record.questions[0])
        assert first is not None
        judged = replace(score(first.answer_id, 6.0, provisional=False), points=POINTS,
                         path="judge+embeddings", engine="offline-judge")
        service.save_score(session_id, judged)
        ok, jpeg = cv2.imencode(".jpg", np.full((60, 80, 3), 120, np.uint8))
        assert ok
        service.record_event(session_id, ProctoringEvent(
            new_id(), EventKind.NO_FACE, Severity.MEDIUM, 0.8, 30.0, 34.0, "yunet"),
            snapshot_jpeg=jpeg.tobytes())
        kiosk_pdf.append(render_report(service.load(session_id), service.media))

    return judge_first_answer


def _scores_section(page: str) -> str:
    found = re.search(r'<section id="scores">(.*?)</section>', page, re.S)
    assert found, "no transcript on the page"
    return html.unescape(found.group(1))


def test_the_session_page_lists_each_answers_points_in_words(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = synced_session(portal, hr, tmp_path, before_push=_judged([]))
    detail = portal.hub.records.detail(portal.hub.accounts.login("hr@acme.test", PASSWORD),
                                       session_id)
    first = detail.transcript[0].score
    assert first is not None and not first.provisional
    assert [(p.verdict, p.point, p.evidence, p.decided_by) for p in first.points] == [
        ("Covered", "Add an index on the filtered column",
         "Answer 0 adds an index on the customer column.", "decided by the on-device judge"),
        ("Contradicted", "Keep statistics current", "Statistics <never> matter & I skip them.",
         "decided by the on-device judge"),
        ("Not covered", "Measure before and after", "", "decided by closeness of wording"),
    ]
    page = hr.http.get(f"/sessions/{session_id}").text
    assert "Statistics &lt;never&gt; matter &amp; I skip them." in page  # escaped, as data
    scores = _scores_section(page)
    for words in (
        "Covered", "Add an index on the filtered column",
        "“Answer 0 adds an index on the customer column.”",
        "Contradicted", "Keep statistics current", "“Statistics <never> matter & I skip them.”",
        "Not covered", "Measure before and after", "decided by the on-device judge",
        "decided by closeness of wording",
        "the on-device judge decided the points it could; closeness of wording decided the rest",
    ):
        assert words in scores, words
    for enum_value in ("absent", "judge+embeddings", "embeddings<", ">judge<"):
        assert enum_value not in scores
    assert "<script" not in scores and "style=" not in scores
    second = detail.transcript[1].score
    assert second is not None and second.provisional and second.points == ()


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    # the lines that say where and when the PDF was made
    out = re.sub(r"(?m)^(\s*(Kiosk|Status)\s+).*$", r"\1…", out)
    return out


def _images(pdf: Path) -> int:
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                            text=True).stdout
    return len(listed.splitlines()) - 2


def test_the_hubs_pdf_shows_what_the_kiosks_pdf_shows(portal: Portal, tmp_path: Path) -> None:
    hr = portal.browser("hr@acme.test")
    kiosk_pdf: list[bytes] = []
    session_id = synced_session(portal, hr, tmp_path, before_push=_judged(kiosk_pdf))
    hub_pdf = render_session_report(portal.hub.database, portal.hub.blobs, session_id)
    kiosk_text = _text(kiosk_pdf[0], tmp_path / "kiosk.pdf")
    hub_text = _text(hub_pdf, tmp_path / "hub.pdf")
    assert "Expected points" in hub_text and "Ada Lovelace" in hub_text
    assert hub_text == kiosk_text
    assert _images(tmp_path / "hub.pdf") == _images(tmp_path / "kiosk.pdf") == 1


def test_the_session_page_shows_the_resume_fit_in_words_and_erasure_removes_it(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = synced_session(portal, hr, tmp_path, before_push=_record_fit)
    page = hr.http.get(f"/sessions/{session_id}").text
    found = re.search(r'<section id="fit">(.*?)</section>', page, re.S)
    assert found, "no fit on the page"
    fit = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    # two questions: one technical, one behavioural; HR typed python and sql; no resume
    assert ("The resume shows 0 of the 2 required skills; the interview plan asks about 1 of "
            "them.") in fit
    assert "python (named by HR) Not found on the resume Asked in question 1" in fit
    assert "sql (named by HR) Not found on the resume Not asked: 1 technical question" in fit
    for field in ("planned_main_question", "met_by", "from_hr", "not_asked", "None"):
        assert field not in fit

    admin = portal.browser("admin@acme.test")
    assert admin.post(f"/sessions/{session_id}/delete", {"reason": "candidate asked"},
                      page=f"/sessions/{session_id}").status_code == 303
    with UnitOfWork(portal.hub.database) as uow:
        erased = uow.sessions.get(session_id)
        assert erased is not None and erased.purged_at is not None and erased.job_fit is None
    assert 'id="fit"' not in admin.http.get(f"/sessions/{session_id}").text
