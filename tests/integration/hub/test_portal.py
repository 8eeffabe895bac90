"""The HR portal over real SQLite: login, CSRF, roles, organisations, reviews,
retention and deletion, with data that a real kiosk pushed."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.hub.portal_support import (
    PASSWORD,
    Browser,
    Portal,
    create_session,
    enrol_second_factor,
    portal_hub,
    synced_session,
)

from contract.sessionkey import is_valid_session_key
from hub.app import create_app


@pytest.fixture
def portal(tmp_path: Path, database_url: str) -> Iterator[Portal]:
    with portal_hub(tmp_path / "hub", database_url) as portal:
        yield portal


def test_login_sets_a_secure_session_cookie_and_pages_need_it(portal: Portal) -> None:
    browser = Browser(create_app(hub=portal.hub))
    assert browser.http.get("/").headers["location"] == "/login"
    response = browser.login("hr@acme.test", PASSWORD)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    assert browser.http.get("/").status_code == 200


def test_every_form_needs_its_csrf_token(portal: Portal) -> None:
    browser = portal.browser("hr@acme.test")
    forged = browser.http.post("/sessions/new", data={"candidate_name": "X", "job_title": "Y"})
    assert forged.status_code == 403 and "did not come from this site" in forged.text
    anonymous = Browser(create_app(hub=portal.hub))
    assert (
        anonymous.http.post("/login", data={"email": "a@b.c", "password": "x"}).status_code == 403
    )


def test_hr_creates_a_session_from_a_pdf_resume_and_prints_a_valid_key(portal: Portal) -> None:
    from reportlab.pdfgen import canvas

    pdf = io.BytesIO()
    page = canvas.Canvas(pdf)
    page.drawString(72, 720, "Twelve years of Rust")
    page.save()
    browser = portal.browser("hr@acme.test")
    session_id = create_session(browser, resume=("cv.pdf", pdf.getvalue(), "application/pdf"))
    slip = browser.http.get(f"/sessions/{session_id}/slip").text
    key = re.search(r'id="session-key">([^<]+)<', slip)
    assert key and is_valid_session_key(key.group(1))
    detail = portal.hub.records.detail(
        portal.hub.accounts.login("hr@acme.test", PASSWORD), session_id
    )
    assert "Twelve years of Rust" in detail.resume_text
    assert detail.settings["extra_time_percent"] == 25
    listing = browser.http.get("/?status=waiting").text
    assert "Ada Lovelace" in listing
    assert "Ada Lovelace" not in browser.http.get("/?status=completed").text


def test_other_organisations_and_weaker_roles_are_refused(portal: Portal, tmp_path: Path) -> None:
    acme = portal.browser("hr@acme.test")
    session_id = synced_session(portal, acme, tmp_path)
    detail = portal.hub.records.detail(
        portal.hub.accounts.login("hr@acme.test", PASSWORD), session_id
    )
    snapshot = detail.events[0].snapshot_sha256
    globex = portal.browser("hr@globex.test")
    for path in (
        f"/sessions/{session_id}",
        f"/sessions/{session_id}/slip",
        f"/sessions/{session_id}/report.pdf",
        f"/sessions/{session_id}/media/{snapshot}",
    ):
        assert globex.http.get(path).status_code == 404, path
    review = globex.post(
        f"/sessions/{session_id}/events/{detail.events[0].event_id}/review",
        {"decision": "dismissed", "comment": "not mine"},
    )
    assert review.status_code == 404
    assert "Ada Lovelace" not in globex.http.get("/").text
    door = portal.browser("door@acme.test")
    assert door.http.get(f"/sessions/{session_id}").status_code == 403
    assert door.http.get(f"/sessions/{session_id}/slip").status_code == 200
    assert door.http.get("/admin").status_code == 403
    assert acme.http.get("/admin").status_code == 403
    # a blob of this session is not reachable through another session of the same org
    other = create_session(acme, "Someone Else")
    assert acme.http.get(f"/sessions/{other}/media/{snapshot}").status_code == 404
    assert acme.http.get(f"/sessions/{session_id}/media/..%2F..%2Fhub.sqlite3").status_code in (
        404,
        422,
    )


def test_synced_report_scores_timeline_review_and_pdf(portal: Portal, tmp_path: Path) -> None:
    browser = portal.browser("hr@acme.test")
    session_id = synced_session(portal, browser, tmp_path)
    page = browser.http.get(f"/sessions/{session_id}").text
    assert 'id="state">Ready to review<' in page and 'id="provisional"' in page
    assert "Answer 1." in page and "More than one person in view" in page
    pdf = browser.http.get(f"/sessions/{session_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    user = portal.hub.accounts.login("hr@acme.test", PASSWORD)
    event = portal.hub.records.detail(user, session_id).events[0]
    snapshot = browser.http.get(f"/sessions/{session_id}/media/{event.snapshot_sha256}")
    assert hashlib.sha256(snapshot.content).hexdigest() == event.snapshot_sha256
    no_comment = browser.post(
        f"/sessions/{session_id}/events/{event.event_id}/review", {"decision": "confirmed"}
    )
    assert no_comment.status_code == 422
    done = browser.post(
        f"/sessions/{session_id}/events/{event.event_id}/review",
        {"decision": "confirmed", "comment": "two faces clearly visible"},
    )
    assert done.status_code == 303
    reviewed = portal.hub.records.detail(user, session_id).events[0]
    assert (reviewed.review, reviewed.reviewed_by) == ("confirmed", "hr@acme.test")
    log = portal.hub.records.audit_log(user)
    assert ("flag.confirmed", "two faces clearly visible") in [(a.action, a.detail) for a in log]


def test_retention_purges_media_and_personal_data_and_deletion_on_request(
    portal: Portal, tmp_path: Path
) -> None:
    admin = portal.browser("admin@acme.test")
    # this organisation's policy sends answer audio, so the hub holds some to purge
    acme = portal.hub.accounts.ensure_organisation("Acme")
    portal.hub.data_policies.set(acme, "test", send_answer_audio=True)
    session_id = synced_session(portal, admin, tmp_path)
    user = portal.hub.accounts.login("admin@acme.test", PASSWORD)
    blobs = [p for p in portal.hub.blobs.root.rglob("*") if p.is_file() and "." not in p.name]
    assert len(blobs) == 6
    assert admin.post("/admin/retention", {"days": "30"}, page="/admin").status_code == 303
    portal.clock.now += timedelta(days=29)
    assert portal.hub.records.purge_expired().sessions_purged == 0
    portal.clock.now += timedelta(days=2)
    admin = portal.browser("admin@acme.test")  # a month later: the earlier session has ended
    page = admin.post("/admin/purge", {}, page="/admin")
    assert "Purged 1 session and 6 files" in page.text
    assert not [p for p in blobs if p.exists()]
    detail = portal.hub.records.detail(user, session_id)
    assert detail.summary.candidate_name == "(personal data purged)" and detail.resume_text == ""
    assert (
        all(i.answer == "" for i in detail.transcript) and detail.events[0].snapshot_sha256 is None
    )
    assert all(i.score is not None for i in detail.transcript)  # scores are not personal data
    other = create_session(admin, "Bob Example")
    assert admin.post(f"/sessions/{other}/delete", {"reason": ""}).status_code == 422
    assert (
        admin.post(
            f"/sessions/{other}/delete", {"reason": "candidate e-mail 2026-11-20"}
        ).status_code
        == 303
    )
    gone = portal.hub.records.summary(user, other)
    assert gone.candidate_name == "(deleted on request)" and gone.purged
    actions = [a.action for a in portal.hub.records.audit_log(user)]
    assert {"retention.set", "session.purged", "session.deleted"} <= set(actions)


def test_admin_issues_codes_revokes_kiosks_and_adds_users(portal: Portal) -> None:
    admin = portal.browser("admin@acme.test")
    page = admin.post("/admin/enrolment-codes", {}, page="/admin").text
    code = re.search(r'id="enrolment-code">([^<]+)<', page)
    assert code
    enrolled = portal.hub.enrolment.enrol(code.group(1), "lobby")
    assert (
        admin.post(f"/admin/kiosks/{enrolled.kiosk_id}/revoke", {}, page="/admin").status_code
        == 303
    )
    assert portal.hub.enrolment.kiosks(portal.acme)[0].revoked_at is not None
    globex_admin = portal.hub.accounts.create_user(
        portal.globex, "admin@globex.test", PASSWORD, "admin"
    )
    assert globex_admin.org_name == "Globex"
    portal.secrets["admin@globex.test"] = enrol_second_factor(
        portal.hub, portal.clock, portal.globex, "admin@globex.test"
    )
    other = portal.browser("admin@globex.test")
    assert (
        other.post(f"/admin/kiosks/{enrolled.kiosk_id}/revoke", {}, page="/admin").status_code
        == 404
    )
    added = admin.post(
        "/admin/users",
        {"email": "new@acme.test", "password": PASSWORD, "role": "hr"},
        page="/admin",
    )
    assert added.status_code == 303
    assert portal.browser("new@acme.test").http.get("/").status_code == 200


def test_an_admin_sets_the_data_policy_and_reads_the_words_candidates_will_read(
    portal: Portal,
) -> None:
    admin = portal.browser("admin@acme.test")
    page = admin.http.get("/admin").text
    assert "Your voice recordings are not sent" in page  # the default, in its own words
    refused = admin.post("/admin/data-policy", {"kiosk_days": "soon"}, page="/admin")
    assert refused.status_code == 422 and "not a number of days" in refused.text
    out_of_range = admin.post(
        "/admin/data-policy", {"send_answer_audio": "yes", "kiosk_days": "900"}, page="/admin"
    )
    assert out_of_range.status_code == 422 and "0 to 365" in out_of_range.text
    assert portal.hub.data_policies.get(portal.acme).send_answer_audio is False  # unchanged
    saved = admin.post(
        "/admin/data-policy", {"send_answer_audio": "yes", "kiosk_days": "3"}, page="/admin"
    )
    assert saved.status_code == 303
    page = admin.http.get("/admin").text
    assert "compressed (FLAC" in page and "3 days later" in page
    assert portal.hub.data_policies.get(portal.acme).kiosk_days_after_sync == 3
    hr = portal.browser("hr@acme.test")
    assert hr.post("/admin/data-policy", {"kiosk_days": "1"}, page="/").status_code == 403
    assert portal.hub.data_policies.get(portal.acme).kiosk_days_after_sync == 3
