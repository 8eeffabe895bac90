"""Admin pages list everything, a page at a time: no session or audit entry is silently cut off
(the session list used to stop at 500 rows and the audit log at 200)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import Arena, arena
from tests.integration.hub.portal_support import Browser

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.services.records import SESSIONS_PER_PAGE, NewSession
from hub.views import PortalUser

SESSIONS = 523  # more than the old cap of 500, and not a whole number of pages
_NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
_KEY = re.compile(r'<code(?: class="key")?>([A-Z0-9-]+)</code>')
_AUDIT_ROW = re.compile(
    r'<tr class="audit"><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>'
)


@pytest.fixture
def busy(tmp_path: Path) -> Iterator[Arena]:
    with arena(tmp_path / "hub", "") as built:
        org = built.a
        hr = PortalUser("hr", org.users["hr"], "hr", org.org_id, org.name)
        for n in range(SESSIONS):
            new = NewSession(
                CandidateWire(full_name=f"Candidate {n}", email="", resume_text=""),
                JobWire(title="Engineer", text="", required_skills=[]),
                SettingsWire(question_count=2),
            )
            built.hub.records.create(hr, new)
        yield built


def _walk(browser: Browser, first: str, pattern: re.Pattern[str]) -> tuple[list[object], int]:
    """Everything `pattern` finds on `first` and every page its "next" links lead to."""
    found: list[object] = []
    url: str | None = first
    pages = 0
    while url is not None:
        page = browser.http.get(url)
        assert page.status_code == 200, url
        pages += 1
        found += pattern.findall(page.text)
        following = _NEXT.search(page.text)
        url = html.unescape(following.group(1)) if following else None
    return found, pages


def test_the_session_list_pages_through_every_session(busy: Arena) -> None:
    hr = busy.browser(busy.a.users["hr"])
    keys, pages = _walk(hr, "/", _KEY)
    assert len(keys) == SESSIONS and len(set(keys)) == SESSIONS
    assert pages > 1
    first = hr.http.get("/").text
    assert f"{SESSIONS} sessions" in first
    # a page past the end shows the last page rather than nothing
    last = SESSIONS % SESSIONS_PER_PAGE or SESSIONS_PER_PAGE
    assert _KEY.findall(hr.http.get("/?page=999").text) == keys[-last:]
    # the filters, the search and the sort carry over to the next pages, with their totals
    filtered, _ = _walk(hr, "/?status=waiting", _KEY)
    assert sorted(filtered) == sorted(keys)
    assert _walk(hr, "/?status=completed", _KEY)[0] == []
    # "Candidate 1", "Candidate 10".."19", "Candidate 100".."199": 111 names, three pages
    searched, pages = _walk(hr, "/?q=candidate+1&sort=name", _KEY)
    assert len(searched) == len(set(searched)) == 111 and pages == 3
    assert "111 sessions" in hr.http.get("/?q=candidate+1").text


def test_the_audit_log_pages_through_every_entry(busy: Arena) -> None:
    admin = busy.browser(busy.a.users["admin"])
    rows, pages = _walk(admin, "/admin", _AUDIT_ROW)
    created = [target for action, target in rows if action == "session.created"]
    assert len(created) == SESSIONS and len(set(created)) == SESSIONS
    assert pages > 1
    other = busy.browser(busy.b.users["admin"])
    assert not [r for r in _walk(other, "/admin", _AUDIT_ROW)[0] if r[0] == "session.created"]
