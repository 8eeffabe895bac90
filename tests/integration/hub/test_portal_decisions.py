"""HR decides on a candidate: advance, hold or reject with notes and an optional scorecard, kept
as history and audited; a second reviewer where the organisation asks for one; the decisions in
the hub's PDF (never in the kiosk's). Sessions are real: a kiosk ran and pushed them."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.hub.portal_support import (
    PASSWORD,
    Browser,
    Portal,
    create_session,
    portal_hub,
    synced_session,
)
from tests.integration.hub.support import memory_keyring, statements_on

from hub.services.decision_state import AWAITING, HOLD, REJECT, UNDECIDED, decision_summary
from hub.uow import UnitOfWork
from hub.views import PortalUser
from reporting import (
    STANDARD_SECTIONS,
    DecisionLine,
    DecisionsLine,
    FlagReviewLine,
    ReportRecord,
    ScorecardLine,
    render_report,
)
from reporting.decisions import decisions as decisions_section

HR2 = "hr2@acme.test"


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    """A hub on SQLite (the history and summary queries run on PostgreSQL too, below)."""
    with memory_keyring(), portal_hub(tmp_path / "hub", "") as hub:
        hub.hub.accounts.create_user(hub.acme, HR2, PASSWORD, "hr")
        yield hub


def _pdf_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def _section(page: str) -> str:
    """The decision section of a session page as the words a person reads."""
    found = re.search(r'<section id="decision".*?</section>', page, re.S)
    assert found, "no decision section on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def _decide(browser: Browser, session_id: str, **form: str) -> int:
    page = f"/sessions/{session_id}"
    return browser.post(f"{page}/decisions", form, page=page).status_code


def _user(portal: Portal, email: str) -> PortalUser:
    org = portal.globex if email.endswith("globex.test") else portal.acme
    return next(u for u in portal.hub.accounts.users(org) if u.email == email)


def _state(portal: Portal, email: str, session_id: str) -> str:
    return portal.hub.decisions.summary(_user(portal, email), [session_id])[session_id].state


def _audit(portal: Portal) -> list[tuple[str, str, str]]:
    admin = _user(portal, "admin@acme.test")
    return [(a.actor, a.action, a.detail) for a in portal.hub.records.audit_log(admin).items]


def test_hr_decides_with_a_scorecard_history_is_kept_audited_and_in_the_hubs_pdf(
    tmp_path: Path, database_url: str
) -> None:
    with memory_keyring(), portal_hub(tmp_path / "hub", database_url) as portal:
        hr = portal.browser("hr@acme.test")
        session_id = synced_session(portal, hr, tmp_path)  # the kiosk flagged 10-12 s
        assert _state(portal, "hr@acme.test", session_id) == UNDECIDED
        assert "No decision yet" in _section(hr.http.get(f"/sessions/{session_id}").text)
        stored = hr.http.get(f"/sessions/{session_id}/report.pdf")
        assert stored.status_code == 200, stored.text[:300]
        stored_pdf = stored.content

        assert _decide(hr, session_id, outcome="advance", notes="Clear on indexing",
                       score_depth="8", comment_depth="explained the trade-offs",
                       score_relevance="7") == 303
        portal.clock.now += timedelta(minutes=5)
        assert _decide(hr, session_id, outcome="hold", notes="Wait for the other finalist") == 303

        section = _section(hr.http.get(f"/sessions/{session_id}").text)
        assert "Where it stands: On hold" in section
        # both decisions kept, newest first, the scorecard in words and on its scale
        assert section.index("On hold — hr@acme.test") < section.index(
            "Advance to next round — hr@acme.test")
        assert "Depth: 8 / 10 — “explained the trade-offs”" in section
        assert "Relevance: 7 / 10" in section and "Structure:" not in section
        for enum_value in ("advance<", "hold<", "awaiting_second_review", "score_depth"):
            assert enum_value not in section
        assert _state(portal, "hr@acme.test", session_id) == HOLD

        audit = _audit(portal)
        recorded = [detail for _, action, detail in audit if action == "decision.recorded"]
        assert len(recorded) == 2
        assert recorded[1].startswith("Advance to next round; scorecard Relevance 7, Depth 8")
        assert recorded[0].startswith("On hold; notes: Wait for the other finalist")

        pdf = hr.http.get(f"/sessions/{session_id}/decisions.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        text = _pdf_text(pdf.content, tmp_path / "decided.pdf")
        assert "Decisions On hold" in text
        assert "Advance to next round — hr@acme.test" in text and "Clear on indexing" in text
        assert "Depth 8 explained the trade-offs" in text
        assert "Reviews of the proctoring flags" not in text  # none reviewed yet
        event_id = re.search(r"/events/([^/]+)/review", hr.http.get(
            f"/sessions/{session_id}").text).group(1)  # type: ignore[union-attr]
        page = f"/sessions/{session_id}"
        assert hr.post(f"{page}/events/{event_id}/review",
                       {"decision": "dismissed", "comment": "leaned to pick up a pen"},
                       page=page).status_code == 303
        text = _pdf_text(hr.http.get(f"{page}/decisions.pdf").content, tmp_path / "re.pdf")
        reviews = text[text.index("Reviews of the proctoring flags"):]
        assert reviews.startswith("Reviews of the proctoring flags Flag Review By Comment")
        assert "Dismissed hr@acme.test" in reviews and "leaned to pick up a pen" in reviews
        # the kiosk's PDF, as stored, is not changed by a decision
        assert hr.http.get(f"/sessions/{session_id}/report.pdf").content == stored_pdf


def test_a_refused_decision_shows_each_problem_at_its_field_with_what_was_typed(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = synced_session(portal, hr, tmp_path)
    page = f"/sessions/{session_id}"
    response = hr.post(f"{page}/decisions", {
        "outcome": "reject", "notes": "  ", "score_depth": "11", "comment_depth": "too long-winded",
        "score_structure": "", "comment_structure": "rambled", "score_relevance": "6",
    }, page=page)
    assert response.status_code == 422
    body = response.text
    errors = dict(re.findall(r'id="error-([\w-]+)">([^<]+)<', body))
    assert errors["decision_notes"] == "Say why in the notes: a rejection needs a reason."
    assert html.unescape(errors["decision_score_depth"]) == (
        "“11” is not a score for Depth: enter a whole number from 0 to 10")
    assert "Give Structure a score" in errors["decision_score_structure"]
    assert "decision_outcome" not in errors
    # what was typed is there again, the chosen outcome still chosen
    assert 'name="score_depth" inputmode="numeric" size="3" maxlength="3" value="11"' in body
    assert 'value="too long-winded"' in body and 'value="rambled"' in body
    assert 'value="6"' in body
    assert re.search(r'value="reject" checked', body)
    assert 'aria-invalid="true" aria-describedby="error-decision_score_depth"' in body
    assert _state(portal, "hr@acme.test", session_id) == UNDECIDED  # nothing saved

    nothing = hr.post(f"{page}/decisions", {"notes": "kept"}, page=page)
    assert nothing.status_code == 422
    assert 'id="error-decision_outcome"' in nothing.text and ">kept</textarea>" in nothing.text


def test_a_second_reviewer_confirms_disagrees_and_the_maker_cannot_confirm(
    portal: Portal, tmp_path: Path
) -> None:
    admin = portal.browser("admin@acme.test")
    hr = portal.browser("hr@acme.test")
    hr2 = portal.browser(HR2)
    session_id = synced_session(portal, hr, tmp_path)
    assert admin.post("/admin/decisions", {"second_reviewer": "yes"},
                      page="/admin").status_code == 303
    assert 'id="second-reviewer" checked' in admin.http.get("/admin").text
    assert ("admin@acme.test", "decisions.second_reviewer",
            "decisions need a second reviewer") in _audit(portal)

    assert _decide(hr, session_id, outcome="reject", notes="Could not explain joins") == 303
    assert _state(portal, "hr@acme.test", session_id) == AWAITING
    mine = hr.http.get(f"/sessions/{session_id}").text
    assert "Where it stands: Awaiting a second reviewer" in _section(mine)
    assert 'id="decision-confirm"' not in mine  # the maker is offered no confirmation
    pending = int(re.search(r"/decisions/(\d+)/confirm", hr2.http.get(
        f"/sessions/{session_id}").text).group(1))  # type: ignore[union-attr]

    refused = hr.post(f"/sessions/{session_id}/decisions/{pending}/confirm", {},
                      page=f"/sessions/{session_id}")
    assert refused.status_code == 409
    assert ("You made this decision, so you cannot be its second reviewer"
            in html.unescape(refused.text))
    assert _state(portal, "hr@acme.test", session_id) == AWAITING

    # the second reviewer disagrees: their own decision, awaiting a reviewer in turn
    assert _decide(hr2, session_id, outcome="hold", notes="Strong elsewhere") == 303
    summary = portal.hub.decisions.summary(_user(portal, HR2), [session_id])[session_id]
    assert summary.state == AWAITING and summary.disagreement and summary.outcome == HOLD
    section = _section(hr.http.get(f"/sessions/{session_id}").text)
    assert ("The reviewers disagree. hr@acme.test decided “Rejected”; hr2@acme.test decided "
            "“On hold”.") in section
    assert "Disagrees with hr@acme.test (Rejected)" in section

    # the first reviewer confirms the second's: final
    latest = int(re.search(r"/decisions/(\d+)/confirm", hr.http.get(
        f"/sessions/{session_id}").text).group(1))  # type: ignore[union-attr]
    assert latest != pending
    stale = hr2.post(f"/sessions/{session_id}/decisions/{pending}/confirm", {},
                     page=f"/sessions/{session_id}")
    assert stale.status_code == 409 and "no longer awaiting" in stale.text
    assert hr.post(f"/sessions/{session_id}/decisions/{latest}/confirm", {},
                   page=f"/sessions/{session_id}").status_code == 303
    final = portal.hub.decisions.summary(_user(portal, HR2), [session_id])[session_id]
    assert (final.state, final.words, final.disagreement) == (HOLD, "On hold", False)
    section = _section(hr.http.get(f"/sessions/{session_id}").text)
    assert "Where it stands: On hold" in section
    assert "Confirms the decision of hr2@acme.test" in section
    assert [a for _, a, _ in _audit(portal)].count("decision.confirmed") == 1

    # a different reviewer who records the pending decision's outcome confirms it
    assert _decide(hr, session_id, outcome="advance") == 303
    assert _state(portal, "hr@acme.test", session_id) == AWAITING
    assert _decide(admin, session_id, outcome="advance", notes="agreed", score_depth="9") == 303
    assert _state(portal, "hr@acme.test", session_id) == "advance"

    # turning the setting off changes no decision already awaiting a reviewer
    assert _decide(hr, session_id, outcome="hold") == 303
    assert admin.post("/admin/decisions", {}, page="/admin").status_code == 303
    assert _state(portal, "hr@acme.test", session_id) == AWAITING
    assert _decide(hr, session_id, outcome="reject", notes="final answer") == 303
    assert _state(portal, "hr@acme.test", session_id) == REJECT


def test_only_a_completed_interview_is_decided_and_invigilators_cannot_decide(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    booked = create_session(hr, "Not Yet Interviewed")
    page = hr.http.get(f"/sessions/{booked}").text
    assert "A decision can be recorded once the interview has been completed." in _section(page)
    assert 'id="decision-form"' not in page
    assert _decide(hr, booked, outcome="advance") == 409
    assert _state(portal, "hr@acme.test", booked) == UNDECIDED

    session_id = synced_session(portal, hr, tmp_path)
    door = portal.browser("door@acme.test")
    assert door.post(f"/sessions/{session_id}/decisions", {"outcome": "advance"}).status_code == 403
    assert door.post("/admin/decisions", {"second_reviewer": "yes"}).status_code == 403
    assert hr.post("/admin/decisions", {"second_reviewer": "yes"}).status_code == 403
    assert _state(portal, "hr@acme.test", session_id) == UNDECIDED


def test_another_organisation_neither_sees_nor_changes_a_decision(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = synced_session(portal, hr, tmp_path)
    assert _decide(hr, session_id, outcome="reject", notes="Acme-only reason") == 303
    with UnitOfWork(portal.hub.database) as uow:
        decision_id = uow.decisions.history(portal.acme, session_id)[0].id

    globex = portal.browser("hr@globex.test")
    for response in (
        globex.post(f"/sessions/{session_id}/decisions", {"outcome": "advance"}),
        globex.post(f"/sessions/{session_id}/decisions/{decision_id}/confirm", {}),
        globex.http.get(f"/sessions/{session_id}/decisions.pdf"),
    ):
        assert response.status_code == 404
        assert "Acme-only reason" not in response.text
    # Globex's summary of Acme's id: undecided, as for any id it does not own
    outside = portal.hub.decisions.summary(_user(portal, "hr@globex.test"), [session_id])
    assert outside[session_id].state == UNDECIDED and outside[session_id].decided_by is None
    assert _state(portal, "hr@acme.test", session_id) == REJECT
    assert len(uow_history(portal, session_id)) == 1


def uow_history(portal: Portal, session_id: str) -> list[str]:
    with UnitOfWork(portal.hub.database) as uow:
        return [d.outcome for d in uow.decisions.history(portal.acme, session_id)]


def test_the_decisions_section_prints_only_what_the_hub_filled(tmp_path: Path) -> None:
    """A record without decisions (the kiosk's) prints exactly as before the section existed;
    with them, the state, each decision, its scorecard and the flag reviews print in words."""
    record = ReportRecord(
        session_id="s-1", session_key="ABCD-EFGH", candidate_name="Ada Lovelace",
        job_title="Engineer", held_at=datetime(2026, 11, 24, 9, tzinfo=UTC), status="completed",
    )
    without = [s for s in STANDARD_SECTIONS if s is not decisions_section]
    assert len(without) == len(STANDARD_SECTIONS) - 1

    def pictures(sha256: str) -> bytes:
        raise FileNotFoundError(sha256)

    kiosk_now = _pdf_text(render_report(record, pictures), tmp_path / "a.pdf")
    kiosk_before = _pdf_text(render_report(record, pictures, without), tmp_path / "b.pdf")
    assert kiosk_now == kiosk_before and "Decisions" not in kiosk_now

    decided = replace(record, decisions=DecisionsLine(
        state="Awaiting a second reviewer",
        decisions=(DecisionLine(
            "Rejected", "hr@acme.test", datetime(2026, 11, 24, 10, tzinfo=UTC),
            notes="Could not explain joins",
            scorecard=(ScorecardLine("Depth", 3, "shallow"),),
        ),),
        reviews=(FlagReviewLine("No face in view at 12–19 s", "Dismissed", "hr@acme.test",
                                datetime(2026, 11, 24, 10, tzinfo=UTC), "leaned to the side"),),
    ))
    text = _pdf_text(render_report(decided, pictures), tmp_path / "c.pdf")
    assert "Decisions Awaiting a second reviewer" in text
    assert "Rejected — hr@acme.test, 24 November 2026, 10:00 UTC" in text
    assert "Depth 3 shallow" in text
    assert "No face in view at 12–19 s Dismissed" in text and "leaned to the side" in text


def test_retention_keeps_the_outcome_without_the_words_and_deletion_removes_it(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    kept = synced_session(portal, hr, tmp_path / "one")
    deleted = synced_session(portal, hr, tmp_path / "two")
    for session_id in (kept, deleted):
        assert _decide(hr, session_id, outcome="reject", notes="Ada mumbled about her divorce",
                       score_depth="2", comment_depth="Ada was evasive") == 303
    admin = _user(portal, "admin@acme.test")
    portal.hub.records.delete(admin, deleted, "the candidate asked")
    assert uow_history(portal, deleted) == []

    portal.hub.records.set_retention(admin, 1)
    portal.clock.now += timedelta(days=2)
    assert portal.hub.records.purge_expired(portal.acme).sessions_purged == 1
    with UnitOfWork(portal.hub.database) as uow:
        (row,) = uow.decisions.history(portal.acme, kept)
        assert (row.outcome, row.notes, row.decided_by) == (REJECT, "", "hr@acme.test")
        assert row.scorecard == [{"criterion": "depth", "score": 2, "comment": ""}]
    assert _state(portal, "hr@acme.test", kept) == REJECT


def test_a_list_learns_its_decision_states_in_one_query_per_500_sessions(
    portal: Portal, tmp_path: Path
) -> None:
    """The dashboard and a job's ranking ask for a page of sessions at once: the answer costs
    one SELECT per 500 ids, whatever the histories' length, and names every id."""
    hr = portal.browser("hr@acme.test")
    decided = synced_session(portal, hr, tmp_path)
    for outcome in ("advance", "hold", "advance", "hold"):
        assert _decide(hr, decided, outcome=outcome) == 303
    ids = [decided, *(f"not-a-session-{n}" for n in range(1199))]
    with (statements_on(portal.hub.database.engine) as statements,
          UnitOfWork(portal.hub.database) as uow):
        states = decision_summary(uow, portal.acme, ids)
    assert len([s for s in statements if s.upper().startswith("SELECT")]) == 3
    assert states[decided].state == HOLD and states[decided].words == "On hold"
    assert len(states) == 1200
    assert {s.state for k, s in states.items() if k != decided} == {UNDECIDED}
