"""Portal errors are pages for people: a refused form comes back with the message next to what
was wrong and the input kept (never a file or a password); anything else is an HTML error page
with its status. The sync API under /api/ keeps answering JSON."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.integration.hub.portal_support import (
    PASSWORD,
    SESSION_FORM,
    Browser,
    Portal,
    portal_hub,
    synced_session,
)

from hub.app import create_app

MAX_RESUME = 2000
MAX_BODY = 64_000
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    with portal_hub(
        tmp_path / "hub", "", max_resume_bytes=MAX_RESUME, max_body_bytes=MAX_BODY
    ) as portal:
        yield portal


def _page(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _problem(page: str, name: str) -> str:
    """The message shown next to the field (or form) `name`."""
    found = re.search(rf'id="error-{re.escape(name)}">(.*?)</p>', page, re.S)
    assert found, f"no message next to {name}"
    return html.unescape(found.group(1))


def _new_session(browser: Browser, form: dict[str, str], **files: object) -> httpx.Response:
    return browser.post("/sessions/new", form, page="/sessions/new", files=files or None)


def _sessions(portal: Portal) -> int:
    return len(portal.hub.records.list(portal.hub.accounts.login("hr@acme.test", PASSWORD)))


def test_missing_fields_are_marked_and_the_rest_is_kept(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    form = {k: v for k, v in SESSION_FORM.items() if k != "candidate_name"}
    page = _page(_new_session(hr, {**form, "job_title": "   "}), 422)
    assert _problem(page, "candidate_name") == "Enter the candidate's name."
    assert _problem(page, "job_title") == "Enter the job title."
    assert "please correct the marked fields" in page
    assert 'value="ada@example.org"' in page and ">Build engines</textarea>" in page
    assert 'name="extra_time_percent" min="0" max="300" value="25"' in page
    assert _sessions(portal) == 0


def test_an_invalid_email_and_a_non_number_are_reported_next_to_their_fields(
    portal: Portal,
) -> None:
    hr = portal.browser("hr@acme.test")
    form = {**SESSION_FORM, "candidate_email": "ada-at-example", "question_count": "six"}
    page = _page(_new_session(hr, form), 422)
    assert "is not an e-mail address" in _problem(page, "candidate_email")
    assert "valid integer" in _problem(page, "question_count")
    assert 'value="ada-at-example"' in page and 'value="six"' in page
    assert 'value="Ada Lovelace"' in page
    out_of_range = _page(_new_session(hr, {**SESSION_FORM, "question_count": "99"}), 422)
    assert "less than or equal to 50" in _problem(out_of_range, "question_count")
    assert _sessions(portal) == 0


def test_a_corrupt_resume_is_reported_and_the_typed_input_kept(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    response = _new_session(
        hr, SESSION_FORM, resume=("cv.pdf", b"%PDF-1.7 not really a pdf", "application/pdf")
    )
    page = _page(response, 422)
    problem = _problem(page, "resume")
    assert "PDF resume could not be read" in problem and "choose the file again" in problem
    assert 'value="Ada Lovelace"' in page and 'value="Engineer"' in page
    assert _sessions(portal) == 0


def test_an_oversized_resume_is_refused_with_413_next_to_the_file_field(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    resume = ("cv.txt", b"x" * (MAX_RESUME + 1), "text/plain")
    page = _page(_new_session(hr, SESSION_FORM, resume=resume), 413)
    assert f"larger than {MAX_RESUME} bytes" in _problem(page, "resume")
    assert 'value="Ada Lovelace"' in page
    assert _sessions(portal) == 0


def test_a_body_over_the_limit_is_an_html_page_in_the_portal_and_json_in_the_api(
    portal: Portal,
) -> None:
    hr = portal.browser("hr@acme.test")
    huge = {**SESSION_FORM, "resume_text": "y" * MAX_BODY}
    page = _page(_new_session(hr, huge), 413)
    assert "larger than 64000 bytes, the most the hub accepts" in page
    api = hr.http.post("/api/v1/batches", content=b"{" + b" " * MAX_BODY + b"}")
    assert api.status_code == 413 and "larger than" in api.json()["detail"]


def test_a_form_without_its_csrf_token_comes_back_filled_in_and_can_be_resent(
    portal: Portal,
) -> None:
    hr = portal.browser("hr@acme.test")
    forged = hr.http.post("/sessions/new", data={**SESSION_FORM, "csrf_token": "forged"})
    page = _page(forged, 403)
    assert "did not come from this site, so nothing was saved" in page
    assert 'value="Ada Lovelace"' in page and ">Build engines</textarea>" in page
    assert _sessions(portal) == 0
    token = _TOKEN.search(page)
    assert token is not None
    again = hr.http.post("/sessions/new", data={**SESSION_FORM, "csrf_token": token.group(1)})
    assert again.status_code == 303 and _sessions(portal) == 1


def test_a_refused_login_keeps_the_email_but_never_the_password(portal: Portal) -> None:
    browser = Browser(create_app(hub=portal.hub))
    browser.csrf("/login")
    secret = "a password typed by hand"
    data = {"email": "hr@acme.test", "password": secret, "csrf_token": "stale"}
    page = _page(browser.http.post("/login", data=data), 403)
    assert "did not come from this site" in page and 'value="hr@acme.test"' in page
    assert secret not in page
    blank = browser.post("/login", {"email": "hr@acme.test"}, page="/login")
    assert "Enter your e-mail address and your password" in _page(blank, 422)


def test_missing_sessions_unknown_pages_and_roles_get_html_error_pages(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    missing = _page(hr.http.get("/sessions/not-a-session"), 404)
    assert "No such session in your organisation" in _problem(missing, "message")
    assert ">Log out<" in missing and "hr@acme.test" in missing  # the menu, to go on from
    unknown = _page(hr.http.get("/no/such/page"), 404)
    assert "There is no page at this address" in _problem(unknown, "message")
    door = portal.browser("door@acme.test")
    refused = _page(door.post("/sessions/new", SESSION_FORM), 403)
    assert "role (invigilator) may not do this" in _problem(refused, "message")
    wrong_method = _page(hr.http.put("/sessions/new"), 405)
    assert "does not accept that kind of request" in wrong_method
    too_long = _page(hr.http.get("/", params={"status": ["waiting"] * 20}), 422)
    assert "Part of what was sent is not valid" in too_long


def test_an_unexpected_failure_is_an_html_page_with_500(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    hr = Browser(create_app(hub=portal.hub), raise_server_exceptions=False)
    assert hr.login("hr@acme.test", PASSWORD).status_code == 303

    def broken(*_args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(portal.hub.session_list, "page", broken)
    page = _page(hr.http.get("/"), 500)
    assert "something went wrong on the hub" in _problem(page, "message").lower()
    assert "the database went away" not in page


def test_the_sync_api_keeps_answering_json(portal: Portal) -> None:
    api = Browser(create_app(hub=portal.hub)).http
    no_token = api.get("/api/v1/whoami")
    assert no_token.status_code == 401 and "bearer token" in no_token.json()["detail"]
    assert api.get("/api/v1/no-such-call").json() == {"detail": "Not Found"}
    invalid = api.post("/api/v1/enrol", json={"code": 7})
    assert invalid.status_code == 422 and invalid.json()["detail"].startswith("invalid request")
    assert invalid.headers["content-type"] == "application/json"


def test_admin_forms_come_back_with_the_message_next_to_them(portal: Portal) -> None:
    admin = portal.browser("admin@acme.test")
    weak = admin.post(
        "/admin/users",
        {"email": "new@acme.test", "password": "short", "role": "invigilator"},
        page="/admin",
    )
    page = _page(weak, 422)
    assert "password" in _problem(page, "users").lower()
    assert 'value="new@acme.test"' in page and "<option selected>invigilator</option>" in page
    assert 'value="short"' not in page
    days = _page(admin.post("/admin/retention", {"days": "thirty"}, page="/admin"), 422)
    assert "“thirty” is not a number of days" in _problem(days, "retention")
    assert 'name="days" min="1" max="3650" value="thirty"' in days
    admin_user = portal.hub.accounts.login("admin@acme.test", PASSWORD)
    assert portal.hub.records.retention_days(admin_user) is None


def test_forms_on_the_session_page_come_back_with_their_input(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = synced_session(portal, hr, tmp_path)
    user = portal.hub.accounts.login("hr@acme.test", PASSWORD)
    event = portal.hub.records.detail(user, session_id).events[0]
    review = hr.post(
        f"/sessions/{session_id}/events/{event.event_id}/review",
        {"decision": "maybe", "comment": "two faces, I think"},
    )
    page = _page(review, 422)
    assert "either confirmed or dismissed" in _problem(page, f"review-{event.event_id}")
    assert 'value="two faces, I think"' in page
    assert portal.hub.records.detail(user, session_id).events[0].review == event.review
    delete = _page(hr.post(f"/sessions/{session_id}/delete", {"reason": " "}), 422)
    assert "Record who asked for the deletion" in _problem(delete, "delete")
    assert portal.hub.records.summary(user, session_id).candidate_name == "Ada Lovelace"
