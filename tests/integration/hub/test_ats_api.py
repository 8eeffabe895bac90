"""The ATS read API: tokens an admin creates on the admin page, sessions listed for incremental
sync and paged without gaps, one session's result and PDF, and every way a token is refused.

Sessions come from the real paths: HR's form, and a real kiosk that ran and pushed an interview
(`synced_session`). Times move on the portal's clock, so "changed since" is exact.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from tests.integration.hub.portal_support import (
    Browser,
    Portal,
    create_session,
    portal_hub,
    synced_session,
)

from contract.proctoring import IntegrityLevel
from hub import glossary
from hub.app import create_app
from hub.db.models import ApiToken, AuditEntry
from hub.services.decisions import NewDecision
from hub.views import PortalUser
from kiosk.sessions import SessionService

ATS = "/api/v1/ats"
_TOKEN = re.compile(r'id="api-token">([^<]+)<')


def _create_token(admin: Browser, name: str, days: str = "") -> str:
    """The admin creates a token on the admin page; the page shows it this once."""
    page = admin.post("/admin/api-tokens", {"name": name, "days": days}, page="/admin")
    assert page.status_code == 200, page.text
    found = _TOKEN.search(page.text)
    assert found, "the new token is not on the page"
    assert _TOKEN.search(admin.http.get("/admin").text) is None  # shown once only
    return found.group(1)


def _ats(portal: Portal, token: str | None = None) -> httpx.Client:
    client = Browser(create_app(hub=portal.hub)).http
    if token is not None:
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def _all_pages(client: httpx.Client, limit: int, **params: str) -> tuple[list[str], int]:
    """Every session id over every page (following `next_cursor`), and how many pages."""
    ids: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        query = {**params, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        body = client.get(f"{ATS}/sessions", params=query).json()
        pages += 1
        ids += [item["session_id"] for item in body["items"]]
        assert body["total"] >= len(ids)
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages


def test_sessions_page_without_gaps_and_sync_incrementally(
    tmp_path: Path, database_url: str
) -> None:
    with portal_hub(tmp_path / "hub", database_url) as portal:
        hr = portal.browser("hr@acme.test")
        token = _create_token(portal.browser("admin@acme.test"), "Greenhouse")
        first = [create_session(hr, f"Candidate {n}") for n in range(5)]  # one instant: ties
        ats = _ats(portal, token)

        ids, pages = _all_pages(ats, limit=2)
        assert sorted(ids) == sorted(first) and len(ids) == len(set(ids))  # no gap, no repeat
        assert pages == 3
        assert ats.get(f"{ATS}/sessions", params={"limit": "2"}).json()["total"] == 5

        mark = portal.clock.now + timedelta(minutes=1)
        portal.clock.now = mark
        later = [create_session(hr, f"Later {n}") for n in range(3)]
        changed = hr.post(f"/sessions/{first[0]}/delete", {"reason": "asked"}, page="/")
        assert changed.status_code == 303
        since, _ = _all_pages(ats, limit=2, updated_since=mark.isoformat())
        assert sorted(since) == sorted([*later, first[0]])  # only what changed
        erased = ats.get(f"{ATS}/sessions/{first[0]}").json()["session"]
        assert erased["personal_data_erased"] is True and "Candidate 0" not in str(erased)
        body = ats.get(f"{ATS}/sessions", params={"updated_since": mark.isoformat()}).json()
        assert [i["session_id"] for i in body["items"]][-1] == max([*later, first[0]])

        assert ats.get(f"{ATS}/sessions", params={"status": "created"}).json()["total"] == 8
        assert ats.get(f"{ATS}/sessions", params={"job_title": "engineer"}).json()["total"] == 8
        assert ats.get(f"{ATS}/sessions", params={"job_title": "Pilot"}).json()["total"] == 0
        naive = ats.get(f"{ATS}/sessions", params={"updated_since": "2026-11-24T09:00:00"})
        assert naive.status_code == 422
        forged = ats.get(f"{ATS}/sessions", params={"cursor": "not-a-cursor"})
        assert forged.status_code == 422 and "next_cursor" in forged.json()["detail"]


def test_a_synced_session_reads_as_a_result_and_a_pdf(tmp_path: Path) -> None:
    with portal_hub(tmp_path / "hub", "") as portal:
        hr = portal.browser("hr@acme.test")
        session_id = synced_session(portal, hr, tmp_path, before_push=_explain_scores)
        token = _create_token(portal.browser("admin@acme.test"), "Workday", days="30")
        ats = _ats(portal, token)

        listed = ats.get(f"{ATS}/sessions", params={"status": "synced"}).json()
        assert [i["session_id"] for i in listed["items"]] == [session_id]
        assert listed["items"][0]["status"] == {
            "code": "synced",
            "words": glossary.STATES["synced"],
        }

        result = ats.get(f"{ATS}/sessions/{session_id}")
        assert result.status_code == 200, result.text
        body = result.json()
        reader = PortalUser("r", "hr@acme.test", "hr", portal.acme, "Acme")
        detail = portal.hub.records.detail(reader, session_id)
        assert body["candidate"] == {"name": "Ada Lovelace", "email": "ada@example.org"}
        assert body["job"] == {"title": "Engineer"}
        evaluation = detail.evaluation or {}
        assert body["recommendation"]["code"] == evaluation["recommendation"]
        assert body["recommendation"]["words"] and "_" not in body["recommendation"]["words"]
        marks = {c["criterion"]["code"]: c["score"]["value"] for c in body["criteria"]}
        assert marks == {k: round(v, 2) for k, v in evaluation["overall"].items()}
        assert body["overall"]["scale_min"] == 0 and body["overall"]["scale_max"] == 10
        assert body["overall"]["value"] == pytest.approx(sum(marks.values()) / len(marks), 0.01)
        rationales = {
            (t.index + 1, name, why)
            for t in detail.transcript
            if t.score
            for name, _, why in t.score.criteria
            if why.strip()
        }
        reasons = {
            (r["question_number"], c["criterion"]["code"], r["reason"])
            for c in body["criteria"]
            for r in c["reasons"]
        }
        assert reasons == rationales and len(reasons) == 8  # 2 answers x 4 criteria
        assert body["provisional"] is True  # the kiosk scored offline
        assert detail.integrity is not None
        level = body["integrity"]["level"]
        assert level["code"] == detail.integrity.level.value
        assert IntegrityLevel(level["code"]) and level["words"] != level["code"]
        flags = body["integrity"]["flags"]
        assert flags["total"] == len(detail.events)
        assert flags["to_review"] + flags["confirmed"] + flags["dismissed"] == flags["total"]
        assert body["decision"]["state"] == {"code": "undecided", "words": "No decision yet"}
        assert body["decision"]["outcome"] is None
        person = next(u for u in portal.hub.accounts.users(portal.acme) if u.role == "hr")
        portal.clock.now += timedelta(minutes=1)
        decided_at = portal.clock.now
        portal.hub.decisions.record(person, session_id, NewDecision("advance", "strong answers"))
        moved = ats.get(f"{ATS}/sessions", params={"updated_since": decided_at.isoformat()})
        assert [i["session_id"] for i in moved.json()["items"]] == [session_id]  # sync sees it
        decided = ats.get(f"{ATS}/sessions/{session_id}").json()["decision"]
        assert decided["state"] == {"code": "advance", "words": "Advance to next round"}
        assert decided["outcome"]["code"] == "advance" and decided["decided_at"]
        assert "strong answers" not in str(decided)  # HR's notes stay in the hub
        # data minimisation: no biometrics, snapshots, audio or transcript through this API
        for absent in ("sha256", "snapshot", "audio", "id_check", "transcript", "embedding"):
            assert absent not in result.text
        for item in detail.transcript:
            if item.answer:
                assert item.answer not in result.text

        pdf = ats.get(body["report_url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["cache-control"] == "no-store"


def test_only_a_live_token_of_the_organisation_in_the_header_reads(tmp_path: Path) -> None:
    with portal_hub(tmp_path / "hub", "", key_misses_per_minute=50) as portal:
        admin = portal.browser("admin@acme.test")
        hr = portal.browser("hr@acme.test")
        session_id = create_session(hr)
        live = _create_token(admin, "Lever")
        expiring = _create_token(admin, "Trial", days="1")
        revoked = _create_token(admin, "Old ATS")
        globex_admin = PortalUser("g", "boss@globex.test", "admin", portal.globex, "Globex")
        theirs = portal.hub.api_tokens.create(globex_admin, "Globex ATS", None).token
        revoked_id = next(
            t for t in portal.hub.api_tokens.in_org(_admin(portal)) if t.name == "Old ATS"
        )
        assert (
            admin.post(
                f"/admin/api-tokens/{revoked_id.token_id}/revoke", {}, page="/admin"
            ).status_code
            == 303
        )
        assert _ats(portal, expiring).get(f"{ATS}/sessions").status_code == 200
        portal.clock.now += timedelta(days=1, seconds=1)
        admin, hr = portal.browser("admin@acme.test"), portal.browser("hr@acme.test")

        # the live token reads; the same session is unknown to another organisation's token
        assert _ats(portal, live).get(f"{ATS}/sessions/{session_id}").status_code == 200
        other = _ats(portal, theirs)
        assert other.get(f"{ATS}/sessions").json() == {"items": [], "total": 0, "next_cursor": None}
        missing = other.get(f"{ATS}/sessions/{session_id}")
        nobody = other.get(f"{ATS}/sessions/no-such-session")
        assert missing.status_code == nobody.status_code == 404
        assert missing.json() == nobody.json()
        assert other.get(f"{ATS}/sessions/{session_id}/report.pdf").status_code == 404

        # unknown, revoked and expired tokens: one answer, telling nothing about which it was
        refusals = [
            _ats(portal, token).get(f"{ATS}/sessions/{session_id}")
            for token in ("hkats_" + "x" * 43, revoked, expiring)
        ]
        assert [r.status_code for r in refusals] == [401, 401, 401]
        assert refusals[0].json() == refusals[1].json() == refusals[2].json()

        # a token is read from the header only: in a query string it is ignored
        anonymous = _ats(portal)
        for name in ("token", "access_token", "api_token"):
            assert anonymous.get(f"{ATS}/sessions", params={name: live}).status_code == 401
        assert _ats(portal, live).get(f"{ATS}/sessions", params={"token": "x"}).status_code == 200
        # the portal's cookie does not open the API, and the token does not open the portal
        assert hr.http.get("/").status_code == 200  # signed in
        assert hr.http.get(f"{ATS}/sessions").status_code == 401
        portal_page = _ats(portal, live).get("/")
        assert portal_page.status_code == 303 and portal_page.headers["location"] == "/login"

        # only the digest is stored; creation, first use and revocation are audited
        with portal.hub.database.sessions() as db:
            rows = list(db.scalars(select(ApiToken)))
            audit = [(a.action, a.target) for a in db.scalars(select(AuditEntry))]
        stored = {r.token_hash for r in rows}
        for token in (live, expiring, revoked, theirs):
            assert hashlib.sha256(token.encode()).hexdigest() in stored
            assert not any(token in str(vars(r)) for r in rows)
        assert ("api_token.created", "Lever") in audit
        assert ("api_token.first_used", "Lever") in audit
        assert ("api_token.revoked", "Old ATS") in audit
        admin_page = admin.http.get("/admin").text
        assert "Revoked" in admin_page and "Expired" in admin_page and live not in admin_page


def test_refused_tokens_are_rate_limited_per_address(tmp_path: Path) -> None:
    with portal_hub(tmp_path / "hub", "", key_misses_per_minute=3) as portal:
        guesser = _ats(portal, "hkats_" + "g" * 43)
        answers = [guesser.get(f"{ATS}/sessions").status_code for _ in range(4)]
        assert answers == [401, 401, 401, 429]
        assert "retry-after" in {k.lower() for k in guesser.get(f"{ATS}/sessions").headers}
        portal.clock.now += timedelta(minutes=1, seconds=1)
        assert guesser.get(f"{ATS}/sessions").status_code == 401


def test_admin_forms_refuse_bad_input_and_other_roles(tmp_path: Path) -> None:
    with portal_hub(tmp_path / "hub", "") as portal:
        admin = portal.browser("admin@acme.test")
        for form, words in (
            ({"name": "  ", "days": ""}, "name the token"),
            ({"name": "Lever", "days": "soon"}, "not a number of days"),
            ({"name": "Lever", "days": "0"}, "1 to 3650 days"),
        ):
            page = admin.post("/admin/api-tokens", form, page="/admin")
            assert page.status_code == 422 and words in page.text.lower()
            assert 'id="error-api_tokens"' in page.text
        hr = portal.browser("hr@acme.test")
        assert hr.post("/admin/api-tokens", {"name": "Mine"}, page="/").status_code == 403
        assert portal.hub.api_tokens.in_org(_admin(portal)) == []
        no_csrf = admin.http.post("/admin/api-tokens", data={"name": "X", "csrf_token": "bad"})
        assert no_csrf.status_code == 403 and "nothing was saved" in no_csrf.text
        assert portal.hub.api_tokens.in_org(_admin(portal)) == []
        globex_admin = PortalUser("g", "boss@globex.test", "admin", portal.globex, "Globex")
        portal.hub.api_tokens.create(globex_admin, "Globex ATS", None)
        theirs = portal.hub.api_tokens.in_org(globex_admin)[0].token_id
        refused = admin.post(f"/admin/api-tokens/{theirs}/revoke", {}, page="/admin")
        assert refused.status_code == 404
        assert portal.hub.api_tokens.in_org(globex_admin)[0].status == "active"


def _explain_scores(service: SessionService, session_id: str) -> None:
    """The kiosk's scorer gives its reasons, criterion by criterion (as the offline one does)."""
    for answer_id, score in service.load(session_id).scores.items():
        criteria = tuple(
            replace(c, rationale=f"{c.criterion.value} of {answer_id[:6]}") for c in score.criteria
        )
        service.save_score(session_id, replace(score, criteria=criteria))


def _admin(portal: Portal) -> PortalUser:
    return PortalUser("a", "admin@acme.test", "admin", portal.acme, "Acme")
