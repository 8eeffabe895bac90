"""E-mail through a real SMTP server (aiosmtpd in its own process, see smtp_server.py): the
candidate's invitation and reminder, HR's notices when a kiosk's interview arrives, an outage
and a refusal, STARTTLS with a certificate the hub must verify, and header injection."""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.integration.hub.portal_support import (
    PASSWORD,
    SESSION_FORM,
    Browser,
    Portal,
    portal_hub,
    synced_session,
)
from tests.integration.hub.smtp_server import SmtpProcess, make_certificates

from hub.app import create_app
from hub.cli import main
from hub.db.models import MailMessage
from hub.views import PortalUser

SENDER = "hiring@acme.test"


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpProcess]:
    server = SmtpProcess(tmp_path / "maildir")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _mail_settings(server: SmtpProcess, **settings: object) -> dict[str, object]:
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_tls": "none",
        "smtp_timeout_seconds": 5.0,
        "mail_from": SENDER,
        "mail_from_name": "Acme Hiring",
        "public_url": "https://hub.acme.test",
        "mail_poll_seconds": 0,  # the tests send when they choose (one test runs the sender)
    }
    values.update(settings)
    return values


@contextmanager
def mail_portal(
    root: Path, server: SmtpProcess, database_url: str = "", **settings: object
) -> Iterator[Portal]:
    with portal_hub(root, database_url, **_mail_settings(server, **settings)) as portal:
        yield portal


def send_with_cli(
    portal: Portal, root: Path, server: SmtpProcess, monkeypatch: pytest.MonkeyPatch
) -> int:
    """`kiosk-hub mail send` on the portal's database, with the settings from the environment
    as an operator's cron job has them (its clock is the real one: the tests' is in the past,
    so whatever the portal queued is due)."""
    for name, value in _mail_settings(server).items():
        monkeypatch.setenv(f"HUB_{name.upper()}", str(value))
    monkeypatch.setenv("HUB_DATA_DIR", str(root))
    monkeypatch.setenv("HUB_DATABASE_URL", portal.hub.settings.database_url)
    monkeypatch.setenv("HUB_MAIL_REMINDER_HOURS", "0")
    return main(["mail", "send"])


def _create(browser: Browser, **fields: str) -> tuple[str, str]:
    """HR creates a session with the form; (session id, key)."""
    response = browser.post("/sessions/new", {**SESSION_FORM, **fields}, page="/sessions/new")
    assert response.status_code == 303, response.text
    session_id = response.headers["location"].split("/")[2]
    slip = browser.http.get(f"/sessions/{session_id}/slip").text
    found = re.search(r'id="session-key">([^<]+)<', slip)
    assert found is not None
    return session_id, found.group(1)


def _parts(message: Any) -> tuple[str, str]:
    """The text and the HTML alternative of a received message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    return text, html.unescape(page)


def _outbox(portal: Portal) -> list[MailMessage]:
    """Every row of the outbox, oldest first."""
    with portal.hub.database.sessions() as db:
        return list(db.scalars(select(MailMessage).order_by(MailMessage.id)))


def _user(portal: Portal, email: str) -> PortalUser:
    for org_id in (portal.acme, portal.globex):
        for user in portal.hub.accounts.users(org_id):
            if user.email == email:
                return user
    raise AssertionError(f"no user {email}")


def _page(browser: Browser, session_id: str) -> str:
    return html.unescape(browser.http.get(f"/sessions/{session_id}").text)


# -- the invitation ------------------------------------------------------------------------------
def test_invitation_reaches_the_candidate_with_key_centre_and_day(
    tmp_path: Path, smtp: SmtpProcess
) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        centre = portal.hub.centres.create(
            _user(portal, "admin@acme.test"), "Leeds, 1 Park Row", "Europe/London"
        ).centre_id
        session_id, key = _create(
            hr, invite="yes", centre_id=centre, interview_on="2026-11-30"
        )
        page = _page(hr, session_id)
        assert "Invitation with the session key" in page and "waiting to be sent" in page
        slip = html.unescape(hr.http.get(f"/sessions/{session_id}/slip").text)
        assert "The key is also e-mailed to the candidate (waiting to be sent)" in slip

        assert portal.hub.mail_sender.send_due().sent == 1
        (message,) = smtp.received()
        assert message["X-RcptTo"] == "ada@example.org"  # the envelope's only recipient
        assert message["To"].addresses[0].addr_spec == "ada@example.org"
        assert message["To"].addresses[0].display_name == "Ada Lovelace"
        assert message["From"].addresses[0].addr_spec == SENDER
        assert message["From"].addresses[0].display_name == "Acme Hiring"
        assert message["Subject"] == "Your interview with Acme for Engineer"
        for body in _parts(message):
            assert key in body
            assert "Leeds, 1 Park Row" in body
            assert "Monday 30 November 2026" in body
            # the key lasts until the booked day has ended in Leeds
            assert "Tuesday 1 December 2026 at 00:00 (Europe/London time)" in body
            assert session_id not in body and "created" not in body

        page = _page(hr, session_id)
        assert "Invitation with the session key</td><td>ada@example.org</td><td>sent<" in page
        assert [m.status for m in _outbox(portal)] == ["sent"]


ADDRESS = "Acme House\r\n1 Park Row <script>alert(1)</script>\r\nLeeds LS1 5AB"
INSTRUCTIONS = "Ask at reception for the assessment room; bring your photo ID."


def test_invitation_and_reminder_say_the_centres_address_and_arrival_instructions(
    tmp_path: Path, smtp: SmtpProcess
) -> None:
    """An admin gives the centre an address (several lines, one with markup in it) and arrival
    instructions on the admin page; the candidate's invitation and reminder, as received over
    SMTP, carry both in the text and the HTML part, the markup arriving as text; a centre with
    neither adds nothing to its e-mails."""
    with mail_portal(tmp_path / "hub", smtp, mail_reminder_hours=24) as portal:
        admin = portal.browser("admin@acme.test")
        for name, address, instructions in (
            ("Leeds", ADDRESS, INSTRUCTIONS),
            ("York", "", ""),
        ):
            form = {"name": name, "timezone": "Europe/London", "address": address,
                    "instructions": instructions}
            made = admin.post("/admin/centres", form, "/admin")
            assert made.status_code == 303, made.text
        centres = {c.name: c.centre_id for c in portal.hub.centres.in_org(portal.acme)}
        hr = portal.browser("hr@acme.test")
        _create(hr, invite="yes", centre_id=centres["Leeds"])
        _create(hr, invite="yes", centre_id=centres["York"], candidate_email="bo@example.org")
        portal.clock.now += timedelta(hours=49)  # both keys expire within the day
        assert portal.hub.mail.queue_reminders() == 2
        assert portal.hub.mail_sender.send_due().sent == 4
        received = {(m["X-RcptTo"], m["Subject"].split(":")[0]): m for m in smtp.received()}

        for kind in ("Your interview with Acme for Engineer", "Reminder"):
            leeds = received[("ada@example.org", kind)]
            text, page = _parts(leeds)
            assert (
                "Where: Leeds\n       Acme House\n       1 Park Row <script>alert(1)</script>\n"
                "       Leeds LS1 5AB\nOn arrival: " + INSTRUCTIONS
            ) in text
            assert (
                "Leeds<br>Acme House<br>1 Park Row <script>alert(1)</script><br>Leeds LS1 5AB"
                in page and INSTRUCTIONS in page
            )
            raw = leeds.get_body(("html",)).get_content()
            assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw

            york_text, york_page = _parts(received[("bo@example.org", kind)])
            assert "Where: York\n" in york_text
            for body in (york_text, york_page):
                assert "On arrival" not in body and "Park Row" not in body
            assert "York</td>" in york_page  # the name alone, no line break after it


def test_without_the_tick_nothing_is_sent_and_the_tick_needs_an_address(
    tmp_path: Path, smtp: SmtpProcess
) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        assert 'name="invite"' in hr.http.get("/sessions/new").text
        printed, _ = _create(hr)  # not ticked
        assert "also e-mailed" not in hr.http.get(f"/sessions/{printed}/slip").text
        refused = hr.post(
            "/sessions/new",
            {**SESSION_FORM, "candidate_email": "", "invite": "yes"},
            page="/sessions/new",
        )
        assert refused.status_code == 422
        assert "Enter the candidate's e-mail address to e-mail the key" in html.unescape(
            refused.text
        )
        assert 'name="invite" value="yes" checked' in refused.text  # the tick is kept
        assert portal.hub.mail_sender.send_due().sent == 0
        assert smtp.received() == [] and _outbox(portal) == []


def test_resend_invitation_is_audited_and_kept_to_the_organisation(
    tmp_path: Path, smtp: SmtpProcess
) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        session_id, key = _create(hr)
        here = f"/sessions/{session_id}"
        assert "E-mail the key to the candidate</button>" in _page(hr, session_id)
        assert hr.post(f"{here}/invitation", {}, page=here).status_code == 303
        assert "Resend invitation</button>" in _page(hr, session_id)
        assert hr.post(f"{here}/invitation", {}, page=here).status_code == 303

        assert portal.browser("hr@globex.test").post(f"{here}/invitation", {}).status_code == 404
        assert portal.browser("door@acme.test").post(f"{here}/invitation", {}).status_code == 403
        assert hr.http.post(f"{here}/invitation", data={}).status_code == 403  # no CSRF token

        assert portal.hub.mail_sender.send_due().sent == 2
        received = smtp.received()
        assert [m["X-RcptTo"] for m in received] == ["ada@example.org"] * 2
        assert all(key in _parts(m)[0] for m in received)
        log = portal.hub.records.audit_log(_user(portal, "admin@acme.test")).items
        queued = [a for a in log if a.action == "mail.invitation_queued"]
        assert [a.actor for a in queued] == ["hr@acme.test"] * 2
        assert all(a.target == key and "ada@" not in a.detail for a in queued)


def test_no_invitation_once_the_key_has_expired(tmp_path: Path, smtp: SmtpProcess) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        session_id, _ = _create(hr)
        portal.clock.now += timedelta(hours=73)
        hr = portal.browser("hr@acme.test")  # a new day, a new sign-in
        here = f"/sessions/{session_id}"
        assert "The key has expired" in _page(hr, session_id)
        refused = hr.post(f"{here}/invitation", {}, page=here)
        assert refused.status_code == 409 and "The key has expired" in refused.text
        assert _outbox(portal) == []


# -- an outage, a refusal --------------------------------------------------------------------------
def test_server_down_keeps_the_message_and_it_goes_when_the_server_is_back(
    tmp_path: Path,
    smtp: SmtpProcess,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:
    """On SQLite and PostgreSQL: the lease is a conditional update on both."""
    with mail_portal(tmp_path / "hub", smtp, database_url) as portal:
        hr = portal.browser("hr@acme.test")
        smtp.stop()
        started = time.monotonic()
        session_id, key = _create(hr, invite="yes")
        assert time.monotonic() - started < 5  # the page never waits for the mail server

        assert send_with_cli(portal, tmp_path / "hub", smtp, monkeypatch) == 1
        assert "could not be reached" in capsys.readouterr().err
        (row,) = _outbox(portal)
        assert (row.status, row.attempts) == ("queued", 1)
        assert "could not be reached" in row.last_error
        assert "waiting to be sent: the mail server at 127.0.0.1" in _page(hr, session_id)

        smtp.start()
        # not due yet: after a failure the next try waits (a minute, doubling each time)
        assert portal.hub.mail_sender.send_due().sent == 0
        portal.clock.now = row.due_at
        assert portal.hub.mail_sender.send_due().sent == 1
        (message,) = smtp.received()
        text, page = _parts(message)
        assert key in text and key in page
        assert [m.status for m in _outbox(portal)] == ["sent"]
        assert send_with_cli(portal, tmp_path / "hub", smtp, monkeypatch) == 0
        assert len(smtp.received()) == 1  # sent once


def test_a_refused_address_is_failed_shown_to_hr_and_not_tried_again(
    tmp_path: Path,
    smtp: SmtpProcess,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        gone, _ = _create(hr, invite="yes", candidate_email="nobody@refused.test")
        busy, _ = _create(hr, invite="yes", candidate_email="ada@busy.test")
        report = portal.hub.mail_sender.send_due()
        assert (report.sent, report.failed, report.waiting) == (0, 1, 1)
        failed, waiting = _outbox(portal)
        assert (failed.status, waiting.status) == ("failed", "queued")
        assert "451 4.2.1" in waiting.last_error  # refused for now: tried again later
        page = _page(hr, gone)
        assert "could not be delivered</strong>: the mail server refused the address" in page
        assert "550 5.1.1 No such mailbox here" in page
        assert "waiting to be sent" in _page(hr, busy)

        portal.clock.now += timedelta(hours=2)
        assert portal.hub.mail_sender.send_due().waiting == 1
        # and the operator's command says a message did not go
        assert send_with_cli(portal, tmp_path / "hub", smtp, monkeypatch) == 1
        assert "451 4.2.1 Mailbox busy" in capsys.readouterr().err
        failed, waiting = _outbox(portal)
        assert failed.attempts == 1 and failed.status == "failed"  # never tried again
        assert waiting.attempts == 3
        assert smtp.received() == []


# -- STARTTLS --------------------------------------------------------------------------------------
def test_starttls_with_the_hub_checking_the_servers_certificate(tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    server = SmtpProcess(tmp_path / "maildir", tls=certificates)
    server.start()
    try:
        # trusting only the system's authorities, the hub refuses the unknown certificate
        with mail_portal(tmp_path / "untrusting", server, smtp_tls="starttls") as portal:
            _create(portal.browser("hr@acme.test"), invite="yes")
            report = portal.hub.mail_sender.send_due()
            assert report.waiting == 1 and "no secure connection" in report.problems[0]
        # the server requires STARTTLS: in the clear it refuses, and the message waits
        with mail_portal(tmp_path / "plain", server, smtp_tls="none") as portal:
            _create(portal.browser("hr@acme.test"), invite="yes")
            report = portal.hub.mail_sender.send_due()
            assert report.waiting == 1 and "530" in report.problems[0]
        assert server.received() == []
        with mail_portal(
            tmp_path / "trusting", server, smtp_tls="starttls", smtp_ca_file=certificates.ca
        ) as portal:
            _, key = _create(portal.browser("hr@acme.test"), invite="yes")
            assert portal.hub.mail_sender.send_due().sent == 1
        (message,) = server.received()
        assert key in _parts(message)[0]
    finally:
        server.stop()


def test_implicit_tls_from_the_first_byte(tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    server = SmtpProcess(tmp_path / "maildir", tls=certificates, implicit=True)
    server.start()
    try:
        with mail_portal(
            tmp_path / "hub", server, smtp_tls="tls", smtp_ca_file=certificates.ca
        ) as portal:
            _, key = _create(portal.browser("hr@acme.test"), invite="yes")
            assert portal.hub.mail_sender.send_due().sent == 1
        (message,) = server.received()
        assert key in _parts(message)[1]
    finally:
        server.stop()


def test_signing_in_to_the_server_after_starttls(tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    server = SmtpProcess(tmp_path / "maildir", certificates, login=("hub", "s3cret words"))
    server.start()
    try:
        tls = {"smtp_tls": "starttls", "smtp_ca_file": certificates.ca, "smtp_user": "hub"}
        with mail_portal(tmp_path / "wrong", server, smtp_password="not it", **tls) as portal:
            _create(portal.browser("hr@acme.test"), invite="yes")
            report = portal.hub.mail_sender.send_due()
            assert report.waiting == 1  # an operator fixes the password; nothing is lost
            assert "did not accept the hub's user name and password (535" in report.problems[0]
        with mail_portal(tmp_path / "right", server, smtp_password="s3cret words", **tls) as portal:
            _, key = _create(portal.browser("hr@acme.test"), invite="yes")
            assert portal.hub.mail_sender.send_due().sent == 1
        (message,) = server.received()
        assert key in _parts(message)[0]
    finally:
        server.stop()


# -- header injection ------------------------------------------------------------------------------
def test_a_name_with_line_breaks_adds_no_header(tmp_path: Path, smtp: SmtpProcess) -> None:
    evil = "Eve\r\nBcc: mallory@evil.test\r\nX-Injected: yes"
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        _, key = _create(
            hr, invite="yes", candidate_name=evil, job_title="Engineer\r\nCc: x@evil.test"
        )
        assert portal.hub.mail_sender.send_due().sent == 1
        (message,) = smtp.received()
        assert message["X-RcptTo"] == "ada@example.org"  # the envelope: one recipient
        assert message["Bcc"] is None and message["Cc"] is None
        assert message["X-Injected"] is None
        assert message["To"].addresses[0].display_name == (
            "Eve Bcc: mallory@evil.test X-Injected: yes"
        )
        assert "\n" not in str(message["Subject"]) and "Cc: x@evil.test" in message["Subject"]
        assert key in _parts(message)[0]


# -- expiry reminders ------------------------------------------------------------------------------
def test_one_reminder_before_an_unused_key_expires(
    tmp_path: Path, smtp: SmtpProcess, database_url: str
) -> None:
    with mail_portal(tmp_path / "hub", smtp, database_url, mail_reminder_hours=24) as portal:
        hr = portal.browser("hr@acme.test")
        invited, key = _create(hr, invite="yes")
        _create(hr, candidate_email="printed@example.org")  # slip printed: no e-mail at all
        assert portal.hub.mail.queue_reminders() == 0  # 72 hours left
        portal.clock.now += timedelta(hours=49)  # 23 hours left
        assert portal.hub.mail.queue_reminders() == 1
        assert portal.hub.mail.queue_reminders() == 0  # never twice
        assert portal.hub.mail_sender.send_due().sent == 2
        portal.clock.now += timedelta(hours=10)
        assert portal.hub.mail.queue_reminders() == 0
        invitation, reminder = smtp.received()
        assert invitation["Subject"] == "Your interview with Acme for Engineer"
        assert reminder["X-RcptTo"] == "ada@example.org"
        assert reminder["Subject"] == "Reminder: your interview key for Engineer expires soon"
        for body in _parts(reminder):
            assert key in body and "has not taken place yet" in " ".join(body.split())
        page = _page(portal.browser("hr@acme.test"), invited)
        assert "Reminder that the key expires soon</td><td>ada@example.org</td><td>sent" in page


# -- HR notices ------------------------------------------------------------------------------------
def _flags(portal: Portal, session_id: str) -> int:
    detail = portal.hub.records.detail(_user(portal, "hr@acme.test"), session_id)
    return sum(1 for e in detail.events if e.review == "open")


def test_the_creator_is_told_when_the_interview_arrives_and_no_one_else(
    tmp_path: Path, smtp: SmtpProcess
) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        portal.hub.accounts.create_user(portal.acme, "hr2@acme.test", PASSWORD, "hr")
        hr = portal.browser("hr@acme.test")
        session_id = synced_session(portal, hr, tmp_path)
        flags = _flags(portal, session_id)
        assert portal.hub.mail_sender.send_due().sent == 1
        (notice,) = smtp.received()
        # the HR user who created the session: not the other HR user, the admin, or Globex
        assert notice["X-RcptTo"] == "hr@acme.test"
        text, page = _parts(notice)
        flat = " ".join(text.split())
        assert "Ada Lovelace has finished the interview for Engineer" in flat
        assert f"https://hub.acme.test/sessions/{session_id}" in text
        assert f'href="https://hub.acme.test/sessions/{session_id}"' in page
        assert "you created this interview session" in flat
        if flags:
            plural = "s" if flags > 1 else ""
            assert notice["Subject"] == (
                f"Ada Lovelace: interview completed, {flags} flag{plural} to review"
            )
            assert f"raised {flags} flag{plural} to review" in flat
        else:
            assert notice["Subject"] == "Ada Lovelace: interview completed"
            assert "raised no flags" in flat
        for jargon in ("in_progress", "reported", "no_face", "severity"):
            assert jargon not in text and jargon not in page


def test_without_its_creator_the_organisations_hr_users_are_told(
    tmp_path: Path, smtp: SmtpProcess
) -> None:
    """The creator was disabled meanwhile: every HR user of the session's organisation hears
    of it, and none of the other organisation (which has HR users too)."""
    with mail_portal(tmp_path / "hub", smtp) as portal:
        portal.hub.accounts.create_user(portal.acme, "hr2@acme.test", PASSWORD, "hr")
        portal.hub.accounts.create_user(portal.globex, "hr2@globex.test", PASSWORD, "hr")
        hr = portal.browser("hr@acme.test")

        def disable_creator(_service: Any, _session_id: str) -> None:
            creator = _user(portal, "hr@acme.test")
            portal.hub.accounts.disable(_user(portal, "admin@acme.test"), creator.user_id)

        synced_session(portal, hr, tmp_path, before_push=disable_creator)
        assert portal.hub.mail_sender.send_due().sent == 1
        assert [m["X-RcptTo"] for m in smtp.received()] == ["hr2@acme.test"]
        assert "you are an HR user of this organisation" in _parts(smtp.received()[0])[0]


# -- the background sender, and mail turned off ----------------------------------------------------
def test_the_served_hub_sends_in_the_background(tmp_path: Path, smtp: SmtpProcess) -> None:
    with mail_portal(tmp_path / "hub", smtp, mail_poll_seconds=0.2) as portal:
        hr = portal.browser("hr@acme.test")
        with TestClient(create_app(hub=portal.hub)):  # the app's lifespan: as `serve` runs it
            _, key = _create(hr, invite="yes")
            deadline = time.monotonic() + 20
            while not smtp.received() and time.monotonic() < deadline:
                time.sleep(0.1)
        (message,) = smtp.received()
        assert key in _parts(message)[0]


def test_without_a_mail_server_the_portal_says_so_and_the_hub_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with portal_hub(tmp_path / "hub", "") as portal:
        hr = portal.browser("hr@acme.test")
        form = html.unescape(hr.http.get("/sessions/new").text)
        assert "E-mail is not set up on this hub" in form and 'name="invite"' not in form
        refused = hr.post(
            "/sessions/new", {**SESSION_FORM, "invite": "yes"}, page="/sessions/new"
        )
        assert refused.status_code == 503 and "E-mail is not set up" in refused.text
        assert portal.hub.records.list(_user(portal, "hr@acme.test")).total == 0  # not half-made
        session_id, _ = _create(hr)
        assert "E-mail is not set up on this hub" in _page(hr, session_id)
        admin_page = html.unescape(portal.browser("admin@acme.test").http.get("/admin").text)
        assert "E-mail is off: no mail server is set up for this hub" in admin_page
        monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "hub"))
        assert main(["mail", "send"]) == 2
        assert "e-mail is off" in capsys.readouterr().err


def test_a_mail_server_without_a_sender_is_refused_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "hub"))
    monkeypatch.setenv("HUB_SMTP_HOST", "mail.example.org")
    assert main(["mail", "send"]) == 2
    assert "HUB_MAIL_FROM" in capsys.readouterr().err
    monkeypatch.setenv("HUB_MAIL_FROM", "Acme <hiring@acme.test>")  # a header, not an address
    assert main(["mail", "send"]) == 2
    assert "is not an address to send from" in capsys.readouterr().err


def test_erasing_a_session_erases_its_emails(tmp_path: Path, smtp: SmtpProcess) -> None:
    with mail_portal(tmp_path / "hub", smtp) as portal:
        hr = portal.browser("hr@acme.test")
        deleted, _ = _create(hr, invite="yes")
        kept, _ = _create(hr, invite="yes", candidate_email="grace@example.org")
        assert portal.hub.mail_sender.send_due().sent == 2
        portal.hub.records.delete(_user(portal, "hr@acme.test"), deleted, "the candidate asked")
        assert [(m.session_id, m.to_address) for m in _outbox(portal)] == [
            (kept, "grace@example.org")
        ]
        assert "ada@example.org" not in _page(hr, deleted)


def test_two_senders_at_once_send_each_message_once(
    tmp_path: Path, smtp: SmtpProcess, database_url: str
) -> None:
    """Two hub processes' senders (two threads, two connection pools' worth of sessions) take
    the same due messages: the lease gives each message to one of them."""
    with mail_portal(tmp_path / "hub", smtp, database_url) as portal:
        hr = portal.browser("hr@acme.test")
        keys = {_create(hr, invite="yes", candidate_email=f"c{i}@example.org")[1] for i in range(6)}
        start = threading.Barrier(2)
        reports: list[int] = []

        def send() -> None:
            start.wait()
            reports.append(portal.hub.mail_sender.send_due().sent)

        senders = [threading.Thread(target=send) for _ in range(2)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(timeout=60)
        assert sum(reports) == 6
        received = smtp.received()
        assert sorted(m["X-RcptTo"] for m in received) == [f"c{i}@example.org" for i in range(6)]
        assert {k for k in keys for m in received if k in _parts(m)[0]} == keys
