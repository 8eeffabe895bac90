"""Finding 4: identifiers become URLs. A kiosk pushed a flag whose id was `../../../admin/purge?`;
the portal put it into a review form's action, so "Confirm" posted to /admin/purge.

Every id a kiosk sends has one format at the wire contract, and every id a page puts into a URL
goes through one escaping filter."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from tests.integration.hub.attack_support import Arena, arena, created, event

from contract.sessionkey import new_session_key
from contract.wire import EventWire, QuestionWire
from hub.portal.deps import url_segment

HOSTILE_IDS = [
    "../../../admin/purge?",
    "..",
    ".",
    "a/b",
    "a?b=1",
    "a#frag",
    "%2e%2e",
    "a b",
    "a\\b",
    "a\nb",
    "javascript:alert(1)",
    "é",
    "",
    "x" * 65,
    "-leading-dash",
    "a\u202eb",
]


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def test_a_kiosk_cannot_push_an_id_that_is_not_one_path_segment(two: Arena) -> None:
    session = str(uuid.uuid4())
    assert two.push(two.a, created(session, new_session_key())).status_code == 200
    for bad in HOSTILE_IDS:
        refused = two.push(two.a, event(session, bad, None))
        assert refused.status_code == 422, (bad, refused.text)
        assert "event_id" in refused.json()["detail"]
        walk_in = two.push(two.a, created(bad, new_session_key()))
        assert walk_in.status_code == 422, bad


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_every_id_field_of_the_wire_has_the_same_format(bad: str) -> None:
    base = {"session_id": "s1", "kind": "looking_away", "severity": "low", "confidence": 0.5}
    with pytest.raises(ValidationError):
        EventWire(**base, event_id=bad, start=0, end=1, detector="d")
    question = {"session_id": "s1", "index": 0, "kind": "technical", "text": "Why?"}
    with pytest.raises(ValidationError):
        QuestionWire(**question, question_id=bad)
    with pytest.raises(ValidationError):
        QuestionWire(**question, question_id="q1", follow_up_of=bad)


def test_the_kiosks_own_ids_still_pass() -> None:
    question = {"session_id": str(uuid.uuid4()), "index": 0, "kind": "technical", "text": "Why?"}
    for kiosk_id in ("q01-be-01~0123456789ab", "q02-gen~abcdef012345-fu", uuid.uuid4().hex):
        assert QuestionWire(**question, question_id=kiosk_id).question_id == kiosk_id


def test_a_flag_id_lands_in_the_review_form_as_one_escaped_segment(two: Arena) -> None:
    kiosk_session, hub_id = two.walk_in(two.a)
    flag = "flag.1~x-y"
    assert two.push(two.a, event(kiosk_session, flag, None)).status_code == 200
    page = two.browser(two.a.users["hr"]).http.get(f"/sessions/{hub_id}").text
    assert f'action="/sessions/{hub_id}/events/{flag}/review#flag-{flag}"' in page


@pytest.mark.parametrize(
    ("raw", "segment"),
    [
        ("../../../admin/purge?", "..%2F..%2F..%2Fadmin%2Fpurge%3F"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a#b c", "a%23b%20c"),
        ("q01-be~ab", "q01-be~ab"),
    ],
)
def test_the_url_filter_never_lets_a_value_leave_its_segment(raw: str, segment: str) -> None:
    assert url_segment(raw) == segment


def test_portal_paths_refuse_ids_of_another_format(two: Arena) -> None:
    browser = two.browser(two.a.users["admin"])
    for path in ("/sessions/..%2Fadmin", "/sessions/a%3Fb/slip", "/sessions/%20x/report.pdf"):
        response = browser.http.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
