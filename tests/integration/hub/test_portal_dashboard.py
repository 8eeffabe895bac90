"""The landing page: "needs you now" counts that link to exactly the sessions they count, and
the session list's server-side search, filters in words, sort, score with its scale,
recommendation and flag count, all scoped to the organisation."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import Arena, Org, arena, created, event
from tests.integration.hub.portal_support import Browser

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.services.decisions import NewDecision
from hub.services.records import NewSession
from hub.views import PortalUser

_ROW = re.compile(r'<tr data-session="[^"]+">(.*?)</tr>', re.S)
_NAME = re.compile(r"<td>(?:<a [^>]+>)?([^<]+)(?:</a>)?</td>")


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _book(two: Arena, org: Org, name: str, job: str, email: str = "") -> str:
    hr = PortalUser("hr", org.users["hr"], "hr", org.org_id, org.name)
    two.clock.now += timedelta(seconds=1)  # bookings in order, for the sort by date
    new = NewSession(
        CandidateWire(full_name=name, email=email),
        JobWire(title=job),
        SettingsWire(question_count=2),
    )
    return two.hub.records.create(hr, new).session_key


def _finished(two: Arena, org: Org, name: str, scores: dict[str, float], flags: int) -> str:
    """A kiosk's walk-in interview that completed with these criterion means and flags."""
    kiosk_session = f"k-{name.split()[0].lower()}"
    key = new_session_key()
    entries = [
        created(kiosk_session, key, name),
        {
            "topic": "session.state",
            "payload": {"session_id": kiosk_session, "from": "created", "to": "completed"},
        },
        {
            "topic": "evaluation",
            "payload": {
                "session_id": kiosk_session,
                "overall": scores,
                "recommendation": "strong_yes",
                "engine": "test",
                "provisional": False,
            },
        },
        *(event(kiosk_session, f"{kiosk_session}-flag-{n}", None) for n in range(flags)),
    ]
    pushed = two.push(org, *entries)
    assert pushed.status_code == 200, pushed.text
    return key


def _names(page: str) -> list[str]:
    return [html.unescape(_NAME.findall(row)[0]) for row in _ROW.findall(page)]


def _count(page: str, anchor: str) -> tuple[int, str]:
    found = re.search(rf'<a id="{anchor}" href="([^"]+)">(\d+) ', page)
    assert found, anchor
    return int(found.group(2)), html.unescape(found.group(1))


def test_needs_you_now_counts_link_to_exactly_those_sessions(two: Arena) -> None:
    _book(two, two.a, "Waiting Soon", "Engineer")
    flagged = _finished(two, two.a, "Flora Flagged", {"technical": 8.0, "communication": 6.0}, 2)
    clean = _finished(two, two.a, "Carl Clean", {"technical": 4.0}, 0)
    _finished(two, two.b, "Other Org", {"technical": 9.0}, 3)  # never counted for A
    hr = two.browser(two.a.users["hr"])
    page = hr.http.get("/").text
    flags, flags_link = _count(page, "needs-flags")
    undecided, undecided_link = _count(page, "needs-undecided")
    expiring, expiring_link = _count(page, "needs-expiring")
    assert (flags, undecided) == (1, 2)
    assert _names(hr.http.get(flags_link).text) == ["Flora Flagged"]
    assert sorted(_names(hr.http.get(undecided_link).text)) == ["Carl Clean", "Flora Flagged"]
    assert len(_names(hr.http.get(expiring_link).text)) == expiring
    # score with its scale, the recommendation in words, the flags and how many are open
    row = next(r for r in _ROW.findall(page) if flagged in r)
    assert "7 / 10" in row and "Strongly recommend" in row and "2 (2 to review)" in row
    assert "4 / 10" in next(r for r in _ROW.findall(page) if clean in r)
    assert "Other Org" not in page
    # a decision takes a session off "no decision yet" (the flags still wait for a review)
    decider = PortalUser(
        _user_id(two, two.a.users["hr"]), two.a.users["hr"], "hr", two.a.org_id, two.a.name
    )
    two.hub.decisions.record(decider, _session_id(two, flagged), NewDecision("advance", "good"))
    page = hr.http.get("/").text
    assert _count(page, "needs-undecided")[0] == 1
    assert _names(hr.http.get(undecided_link).text) == ["Carl Clean"]
    assert _count(page, "needs-flags")[0] == 1


def _user_id(two: Arena, email: str) -> str:
    return next(u.user_id for u in two.hub.accounts.users(two.a.org_id) if u.email == email)


def _session_id(two: Arena, key: str) -> str:
    return two.session_id(two.a, key)


def test_keys_expiring_within_48_hours_are_counted_and_expired_ones_are_not(
    two: Arena,
) -> None:
    _book(two, two.a, "Soon Expiring", "Engineer")  # valid for the hub's session TTL
    hr = two.browser(two.a.users["hr"])
    ttl = timedelta(hours=two.hub.settings.session_ttl_hours)
    two.clock.now += ttl - timedelta(hours=47)
    hr = two.browser(two.a.users["hr"])
    count, link = _count(hr.http.get("/").text, "needs-expiring")
    assert count == 1 and _names(hr.http.get(link).text) == ["Soon Expiring"]
    two.clock.now += timedelta(hours=48)
    hr = two.browser(two.a.users["hr"])
    assert _count(hr.http.get("/").text, "needs-expiring")[0] == 0
    assert _names(hr.http.get("/?status=expired").text) == ["Soon Expiring"]


def test_search_filters_and_sort_run_on_the_server(two: Arena) -> None:
    keys = {
        "Ada Lovelace": _book(two, two.a, "Ada Lovelace", "Engineer", "ada@example.org"),
        "Grace Hopper": _book(two, two.a, "Grace Hopper", "Admiral", "grace@navy.test"),
        "Alan Turing": _book(two, two.a, "Alan Turing", "Engineer"),
        "Ada 50%_off": _book(two, two.a, "Ada 50%_off", "Sales"),
    }
    _book(two, two.b, "Ada Elsewhere", "Engineer")
    hr = two.browser(two.a.users["hr"])

    def names(query: str) -> list[str]:
        page = hr.http.get(query)
        assert page.status_code == 200, query
        return _names(page.text)

    assert sorted(names("/?q=ada")) == ["Ada 50%_off", "Ada Lovelace"]
    assert names("/?q=navy.test") == ["Grace Hopper"]  # e-mail
    assert sorted(names("/?q=engineer")) == ["Ada Lovelace", "Alan Turing"]  # job title
    assert names(f"/?q={keys['Alan Turing'][:9].lower()}") == ["Alan Turing"]  # key
    assert names("/?q=50%25_") == ["Ada 50%_off"]  # % and _ are literal, not wildcards
    assert names("/?job=Admiral") == ["Grace Hopper"]
    assert names("/?sort=name") == sorted(keys, key=str.lower)
    assert names("/?sort=oldest") == list(keys)
    assert names("/?sort=newest") == list(reversed(keys))
    today = two.clock.now.date()
    assert len(names(f"/?from={today}&to={today}")) == 4
    assert names(f"/?from={today + timedelta(days=1)}") == []
    bad = hr.http.get("/?from=yesterday")
    assert bad.status_code == 422 and "is not a date" in bad.text
    page = hr.http.get("/?q=ada&status=waiting").text
    assert "2 sessions" in page
    assert "Waiting for the candidate (4)" in page  # the group's count is the organisation's
    assert 'value="ada"' in page and 'value="waiting" checked' in page  # the filter is kept


def test_an_invigilator_sees_the_list_without_links_to_results(two: Arena) -> None:
    _finished(two, two.a, "Flora Flagged", {"technical": 8.0}, 1)
    door: Browser = two.browser(two.a.users["invigilator"])
    page = door.http.get("/").text
    assert "Flora Flagged" in page and "/sessions/" in page  # the slip
    assert 'href="/sessions/' not in re.sub(r'href="/sessions/[^"]+/slip"', "", page)
