"""The session list sorts on the server by date, name, status, score, recommendation and flags to
review, both ways, on SQLite and PostgreSQL: unscored sessions last either way, a total order so
pages never repeat or skip a session, header links that keep the search and filters, and the
score columns the order reads written when a kiosk's result (or its revision) arrives, cleared
by an erasure, and back-filled by the migration from the results already stored."""

from __future__ import annotations

import html
import random
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert
from tests.integration.brain.fake_gemini import GOOD_SCORE, FakeGemini, Reply
from tests.integration.hub.attack_support import Arena, Org, arena, event
from tests.integration.hub.portal_support import create_session, portal_hub, synced_session
from tests.integration.hub.support import (
    SimulatedKiosk,
    memory_keyring,
    run_interview,
    serve_in_thread,
)

from contract.evaluation import Recommendation
from contract.rubric import Criterion
from contract.sessionkey import new_session_key
from hub.app import create_app
from hub.db.database import alembic_config, create_hub_engine, current_revision, open_database
from hub.db.models import InterviewSession
from hub.services.session_list import ROWS_PER_PAGE
from hub.uow import UnitOfWork
from kiosk.domain.model import FinalEvaluation
from kiosk.settings import KioskSettings
from kiosk.sync import Pusher, enrol, hub_client, import_pack

_ROW = re.compile(r'<tr data-session="[^"]+">(.*?)</tr>', re.S)
_NAME = re.compile(r"<td>(?:<a [^>]+>)?([^<]+)(?:</a>)?</td>")
_NEXT = re.compile(r'<a rel="next" href="([^"]+)"')


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _walk_in(
    kiosk_session: str,
    name: str,
    at: datetime,
    scores: dict[str, float] | None = None,
    recommendation: str = "yes",
) -> list[dict[str, object]]:
    """A kiosk's walk-in session created at `at`, evaluated with `scores` (none: not yet)."""
    entries: list[dict[str, object]] = [
        {
            "topic": "session.created",
            "payload": {
                "session_id": kiosk_session,
                "session_key": new_session_key(),
                "candidate": {"full_name": name},
                "job": {"title": "Engineer"},
                "settings": {},
                "state": "created",
                "created_at": at.isoformat(),
            },
        }
    ]
    if scores is not None:
        entries.append(
            {
                "topic": "evaluation",
                "payload": {
                    "session_id": kiosk_session,
                    "overall": scores,
                    "recommendation": recommendation,
                    "engine": "test",
                    "provisional": False,
                },
            }
        )
    return entries


def _push(two: Arena, org: Org, entries: list[dict[str, object]]) -> None:
    for start in range(0, len(entries), 100):  # a batch holds at most 200 entries
        pushed = two.push(org, *entries[start : start + 100])
        assert pushed.status_code == 200, pushed.text


def _names(page: str) -> list[str]:
    return [html.unescape(_NAME.findall(row)[0]) for row in _ROW.findall(page)]


def _walk(browser: Any, first: str) -> tuple[list[str], int]:
    """The names on `first` and on every page its "next" links lead to, in order."""
    found: list[str] = []
    url: str | None = first
    pages = 0
    while url is not None:
        page = browser.http.get(url)
        assert page.status_code == 200, url
        pages += 1
        found += _names(page.text)
        following = _NEXT.search(page.text)
        url = html.unescape(following.group(1)) if following else None
    return found, pages


def test_score_recommendation_and_flags_sort_both_ways_with_unscored_sessions_last(
    two: Arena,
) -> None:
    """One list on both databases (NULL sorts first on SQLite and last on PostgreSQL unless
    the query says otherwise); equal values keep the newest first."""
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    people = [  # name, criterion means (None: not scored yet), recommendation, flags
        ("Una Unscored", None, "", 0),
        ("Hana High", {"technical": 9.0, "communication": 9.0}, "strong_yes", 0),
        ("Mia Mid", {"technical": 7.0, "communication": 5.0}, "yes", 2),
        ("Tia Tie", {"technical": 6.0}, "no", 1),
        ("Lou Low", {"technical": 2.0, "communication": 2.0}, "strong_no", 3),
        ("Walt Waiting", None, "", 0),
    ]
    entries: list[dict[str, object]] = []
    for n, (name, scores, recommendation, flags) in enumerate(people):
        kiosk_session = f"k-{n}"
        entries += _walk_in(kiosk_session, name, at + timedelta(minutes=n), scores, recommendation)
        entries += [event(kiosk_session, f"{kiosk_session}-flag-{f}", None) for f in range(flags)]
    _push(two, two.a, entries)
    _push(two, two.b, _walk_in("k-b", "Bea Best", at, {"technical": 10.0}, "strong_yes"))
    hr = two.browser(two.a.users["hr"])

    def names(query: str) -> list[str]:
        page = hr.http.get(query)
        assert page.status_code == 200, query
        return _names(page.text)

    assert names("/?sort=score&dir=desc") == [
        "Hana High", "Tia Tie", "Mia Mid", "Lou Low", "Walt Waiting", "Una Unscored",
    ]
    assert names("/?sort=score&dir=asc") == [
        "Lou Low", "Tia Tie", "Mia Mid", "Hana High", "Walt Waiting", "Una Unscored",
    ]
    assert names("/?sort=recommendation&dir=desc") == [
        "Hana High", "Mia Mid", "Tia Tie", "Lou Low", "Walt Waiting", "Una Unscored",
    ]
    assert names("/?sort=recommendation&dir=asc") == [
        "Lou Low", "Tia Tie", "Mia Mid", "Hana High", "Walt Waiting", "Una Unscored",
    ]
    assert names("/?sort=flags&dir=desc") == [
        "Lou Low", "Mia Mid", "Tia Tie", "Walt Waiting", "Hana High", "Una Unscored",
    ]
    assert names("/?sort=flags&dir=asc") == [
        "Walt Waiting", "Hana High", "Una Unscored", "Tia Tie", "Mia Mid", "Lou Low",
    ]
    assert names("/?sort=name&dir=desc") == sorted(names("/"), reverse=True)
    assert names("/?sort=date&dir=asc") == [p[0] for p in people]
    # another organisation's sessions never join the list, however it is sorted
    for column in ("score", "recommendation", "flags", "name", "date", "status"):
        for direction in ("asc", "desc"):
            assert "Bea Best" not in names(f"/?sort={column}&dir={direction}")
    other = two.browser(two.b.users["hr"])
    assert _names(other.http.get("/?sort=score&dir=asc").text) == ["Bea Best"]


def test_status_sorts_in_the_lifecycle_order_as_the_list_shows_it(two: Arena) -> None:
    """Waiting, then under way, finished, stopped, expired; a waiting session whose key ran out
    is shown "Key expired" and sorts with the expired ones."""
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def moved(kiosk_session: str, *states: str) -> list[dict[str, object]]:
        steps = zip(("created", *states), states, strict=False)
        return [
            {"topic": "session.state", "payload": {"session_id": kiosk_session, "from": a, "to": b}}
            for a, b in steps
        ]

    entries = [
        *_walk_in("k-1", "Sam Stopped", at),
        *moved("k-1", "opened", "aborted"),
        *_walk_in("k-2", "Rae Ready", at + timedelta(minutes=1), {"technical": 5.0}),
        *moved("k-2", "opened", "in_progress", "completed", "reported", "synced"),
        *_walk_in("k-3", "Old Expired", at - timedelta(days=365)),
        *_walk_in("k-4", "Una Underway", at + timedelta(minutes=2)),
        *moved("k-4", "opened", "in_progress"),
        *_walk_in("k-5", "Wes Waiting", at + timedelta(minutes=3)),
    ]
    _push(two, two.a, entries)
    hr = two.browser(two.a.users["hr"])
    ordered = ["Wes Waiting", "Una Underway", "Rae Ready", "Sam Stopped", "Old Expired"]
    assert _names(hr.http.get("/?sort=status").text) == ordered
    assert _names(hr.http.get("/?sort=status&dir=desc").text) == list(reversed(ordered))


def test_invalid_sort_parameters_fall_back_to_the_default_order(two: Arena) -> None:
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    entries = _walk_in("k-1", "Ann Older", at, {"technical": 9.0})
    entries += _walk_in("k-2", "Bob Newer", at + timedelta(minutes=1), {"technical": 1.0})
    _push(two, two.a, entries)
    hr = two.browser(two.a.users["hr"])
    newest_first = ["Bob Newer", "Ann Older"]
    for query in ("/?sort=salary", "/?sort=salary&dir=desc", "/?sort=&dir=", "/?dir=up"):
        page = hr.http.get(query)
        assert page.status_code == 200, query
        assert _names(page.text) == newest_first, query
        assert 'data-sort="date" aria-sort="descending"' in page.text
    # a known column with a direction it does not know: that column's first direction
    assert _names(hr.http.get("/?sort=score&dir=sideways").text) == ["Ann Older", "Bob Newer"]
    # the list's former "Sort by" menu values still mean what they meant
    assert _names(hr.http.get("/?sort=oldest").text) == ["Ann Older", "Bob Newer"]


def test_header_links_keep_the_search_and_filters_and_start_at_page_one(two: Arena) -> None:
    _push(two, two.a, _walk_in("k-1", "Ada Lovelace", datetime(2026, 11, 24, tzinfo=UTC)))
    hr = two.browser(two.a.users["hr"])
    page = hr.http.get("/?q=ada&status=waiting&job=Engineer&page=3&sort=score&dir=desc").text
    links = {
        column: html.unescape(href)
        for column, href in re.findall(r'data-sort="(\w+)"[^>]*><a href="([^"]+)"', page)
    }
    assert links["score"] == "/?q=ada&job=Engineer&status=waiting&sort=score&dir=asc"
    assert links["name"] == "/?q=ada&job=Engineer&status=waiting&sort=name&dir=asc"
    assert links["date"] == "/?q=ada&job=Engineer&status=waiting"  # newest first: the default
    assert 'data-sort="score" aria-sort="descending"' in page
    # the filter form keeps the sort when HR changes a filter
    assert '<input type="hidden" name="sort" value="score">' in page
    assert '<input type="hidden" name="dir" value="desc">' in page


def test_paging_through_a_sort_never_repeats_or_skips_a_session(two: Arena) -> None:
    """120 sessions created at the same second, 30 each scoring 7, 5 and 3 and 30 not scored:
    every page boundary falls inside a run of equal values, and page 2 crosses from the scored
    to the unscored ones, so only the tie-break keeps the pages apart."""
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    marks = [7.0] * 30 + [5.0] * 30 + [3.0] * 30 + [None] * 30
    random.Random(4).shuffle(marks)
    entries: list[dict[str, object]] = []
    expected: dict[str, float | None] = {}
    for n, mark in enumerate(marks):
        name = f"Candidate {n:03d}"
        expected[name] = mark
        scores = None if mark is None else {"technical": mark}
        entries += _walk_in(str(uuid.uuid4()), name, at, scores)
    _push(two, two.a, entries)
    assert len(marks) > 2 * ROWS_PER_PAGE
    hr = two.browser(two.a.users["hr"])
    for direction in ("desc", "asc"):
        names, pages = _walk(hr, f"/?sort=score&dir={direction}")
        assert pages == 3
        assert len(names) == len(set(names)) == len(marks)  # nothing repeated, nothing skipped
        scored = [expected[n] for n in names if expected[n] is not None]
        assert scored == sorted(scored, reverse=direction == "desc")
        assert all(expected[n] is None for n in names[len(scored) :])  # unscored last
        # each page is the same slice of the order however it is reached
        again = _names(hr.http.get(f"/?sort=score&dir={direction}&page=2").text)
        assert again == names[ROWS_PER_PAGE : 2 * ROWS_PER_PAGE]


def _scores(hub: Any, session_id: str) -> tuple[float | None, str | None]:
    with UnitOfWork(hub.database) as uow:
        row = uow.sessions.get(session_id)
        assert row is not None
        return row.overall_score, row.recommendation


def test_a_kiosk_result_writes_the_score_columns_and_a_revised_one_replaces_them(
    tmp_path: Path,
) -> None:
    """A real kiosk's interview (offline, provisional: 6.5 on every criterion), then the
    kiosk's revised result once its scores are final (`SessionService.revise_result`), then
    HR's deletion of the session."""
    with portal_hub(tmp_path / "hub", "") as portal:
        hr = portal.browser("hr@acme.test")
        session_id = create_session(hr, "Rita Revised")
        waiting = create_session(hr, "Will Waiting")
        key = re.search(
            r'id="session-key">([^<]+)<', hr.http.get(f"/sessions/{session_id}/slip").text
        )
        assert key is not None
        with serve_in_thread(create_app(hub=portal.hub)) as url, memory_keyring():
            enrol(url, portal.hub.enrolment.issue_code(portal.acme, "t").code, "desk")
            kiosk = SimulatedKiosk.create(tmp_path / "kiosk")
            settings = KioskSettings(data_dir=tmp_path / "kiosk", hub_url=url)
            with hub_client(settings) as client:
                local = import_pack(kiosk.service, client.pack(key.group(1)), portal.clock.now)
                kiosk_session = local.session.session_id
                run_interview(kiosk.service, kiosk_session, rng=random.Random(3))
                Pusher(kiosk.service, client).drain()
                assert _scores(portal.hub, session_id) == (6.5, "yes")
                kiosk.service.revise_result(
                    kiosk_session,
                    FinalEvaluation(
                        overall={c.value: 8.0 + (1.0 if c is Criterion.DEPTH else 0.0)
                                 for c in Criterion},
                        strengths=(),
                        concerns=(),
                        recommendation=Recommendation.STRONG_YES,
                        behavioural_note="",
                        engine="gemini",
                        provisional=False,
                    ),
                    b"%PDF-1.4 revised report",
                )
                Pusher(kiosk.service, client).drain()
            kiosk.close()
        score, recommendation = _scores(portal.hub, session_id)
        assert score == pytest.approx(8.0 + 1.0 / len(Criterion))
        assert recommendation == "strong_yes"
        page = hr.http.get("/?sort=score&dir=asc").text
        assert _names(page) == ["Rita Revised", "Will Waiting"]
        assert f"{8.0 + 1.0 / len(Criterion):.1f} / 10" in page
        assert "Strongly recommend" in page
        # HR deletes the session: its result goes, and so do the figures copied from it
        deleted = hr.post(f"/sessions/{session_id}/delete", {"reason": "candidate asked"},
                          page=f"/sessions/{session_id}")
        assert deleted.status_code == 303, deleted.text
        assert _scores(portal.hub, session_id) == (None, None)
        assert _scores(portal.hub, waiting) == (None, None)


def test_the_hubs_own_rescore_rewrites_the_score_columns(tmp_path: Path) -> None:
    """HR re-scores a kiosk's provisional answers with Gemini (the local fake); once every
    score is final the hub recomputes the evaluation, and the columns follow it."""
    key = "hub-test-key-0123456789"
    with (
        FakeGemini(api_key=key) as fake,
        memory_keyring(),
        portal_hub(
            tmp_path / "hub", "", gemini_api_key=key, gemini_base_url=fake.base_url,
            gemini_attempts=1, gemini_timeout_seconds=5.0,
        ) as portal,
    ):
        fake.default = lambda _request: Reply.json(GOOD_SCORE)
        hr = portal.browser("hr@acme.test")
        session_id = synced_session(portal, hr, tmp_path)
        assert _scores(portal.hub, session_id) == (6.5, "yes")
        done = hr.post(f"/sessions/{session_id}/rescore", {}, page=f"/sessions/{session_id}")
        assert done.status_code == 303, done.text
        finals = [float(GOOD_SCORE[c.value]["score"]) for c in Criterion]
        assert _scores(portal.hub, session_id) == (pytest.approx(sum(finals) / len(finals)), "yes")
        assert sum(finals) / len(finals) != 6.5


def test_the_migration_back_fills_the_scores_of_results_already_stored(
    tmp_path: Path, database_url: str
) -> None:
    """A hub at 0021 holding results (one with an empty criteria map, one erased to JSON
    null, one never evaluated) upgrades: each sorts by what its stored result says; and it
    downgrades again without losing a session."""
    url = database_url or f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    engine = create_hub_engine(url)
    command.upgrade(alembic_config(engine), "0021_password_reset")
    now = datetime(2026, 11, 24, 9, 0)
    tables = MetaData()
    organisations = Table("organisations", tables, autoload_with=engine)
    sessions = Table("interview_sessions", tables, autoload_with=engine)
    evaluations: dict[str, object] = {
        "high": {"overall": {"technical": 9.0, "communication": 8.0}, "recommendation": "yes"},
        "low": {"overall": {"technical": 2}, "recommendation": "strong_no"},
        "empty": {"overall": {}, "recommendation": "no"},
        "erased": None,
    }
    with engine.begin() as connection:
        connection.execute(
            insert(organisations), {"id": "o", "name": "Acme", "created_at": now}
        )
        for n, sid in enumerate([*evaluations, "never", *(f"bulk-{i:04d}" for i in range(600))]):
            row = {
                "id": sid, "org_id": "o", "session_key": f"KEY-{n:04d}", "origin": "hub",
                "state": "synced", "candidate_name": sid, "candidate_email": "",
                "resume_text": "", "job_title": "Eng", "job_text": "", "required_skills": [],
                "nice_to_have_skills": [], "settings": {}, "created_at": now,
                "expires_at": now, "updated_at": now,
            }
            if sid in evaluations:
                row["evaluation"] = evaluations[sid]  # None is stored as JSON null, as erasing did
            elif sid.startswith("bulk"):  # more than one batch of the back-fill
                row["evaluation"] = {"overall": {"technical": n % 10}, "recommendation": "no"}
            connection.execute(insert(sessions), row)
    engine.dispose()

    database = open_database(url)  # what a hub does at start-up: migrate to the head
    try:
        with database.sessions() as db:
            def figures(sid: str) -> tuple[float | None, str | None]:
                row = db.get(InterviewSession, sid)
                assert row is not None
                return row.overall_score, row.recommendation

            assert figures("high") == (8.5, "yes")
            assert figures("low") == (2.0, "strong_no")
            assert figures("empty") == (None, "no")
            assert figures("erased") == (None, None)
            assert figures("never") == (None, None)
            assert figures("bulk-0599") == (float((599 + 5) % 10), "no")
        command.downgrade(alembic_config(database.engine), "0021_password_reset")
        assert current_revision(database.engine) == "0021_password_reset"
        reflected = Table("interview_sessions", MetaData(), autoload_with=database.engine)
        assert "overall_score" not in reflected.c and "recommendation" not in reflected.c
        with database.engine.connect() as connection:
            assert len(connection.execute(reflected.select()).all()) == 605
    finally:
        database.close()


def test_an_hr_user_sees_only_their_organisation_sorted(two: Arena) -> None:
    """The sort never widens what a user may see: an invigilator sorted by score sees the
    same sessions as unsorted."""
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    _push(two, two.a, _walk_in("k-a", "Alma Alpha", at, {"technical": 4.0}))
    _push(two, two.b, _walk_in("k-b", "Bert Beta", at, {"technical": 8.0}))
    door = two.browser(two.a.users["invigilator"])
    assert _names(door.http.get("/?sort=score&dir=desc").text) == ["Alma Alpha"]
    hr_b = two.browser(two.b.users["hr"])
    assert _names(hr_b.http.get("/?sort=flags&dir=asc").text) == ["Bert Beta"]
