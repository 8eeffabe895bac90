"""HR pages about interview sessions: list, create (and print the slip), read, review, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from hub.api.deps import HubDep
from hub.errors import InvalidInputError, PayloadTooLargeError
from hub.portal.deps import UserDep, render, require
from hub.resume import resume_text
from hub.security.csrf import check_csrf
from hub.services.records import NewSession
from kiosk.wire import SHA256_PATTERN, CandidateWire, JobWire, SessionStateName, SettingsWire

router = APIRouter(include_in_schema=False)
READERS = ("admin", "hr")
EVERYONE = ("admin", "hr", "invigilator")
STATES = SessionStateName.__args__
Text = Annotated[str, Form(max_length=200_000)]
Short = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form(max_length=200)]


@router.get("/", response_class=HTMLResponse)
def session_list(
    request: Request,
    hub: HubDep,
    user: UserDep,
    state: Annotated[list[str], Query(max_length=len(STATES))] = [],  # noqa: B006
) -> HTMLResponse:
    require(user, *EVERYONE)
    chosen = tuple(s for s in state if s in STATES)
    return render(
        request,
        "sessions.html",
        user,
        sessions=hub.records.list(user, chosen),
        counts=hub.records.counts(user),
        states=STATES,
        chosen=chosen,
    )


@router.get("/sessions/new", response_class=HTMLResponse)
def new_session_page(request: Request, user: UserDep) -> HTMLResponse:
    require(user, *READERS)
    return render(request, "session_new.html", user, form={})


@router.post("/sessions/new", response_model=None)
async def create_session(
    request: Request,
    hub: HubDep,
    user: UserDep,
    candidate_name: Short,
    job_title: Short,
    csrf_token: Csrf = "",
    candidate_email: Short = "",
    resume_text_field: Annotated[str, Form(alias="resume_text", max_length=200_000)] = "",
    resume: Annotated[UploadFile | None, File()] = None,
    job_text: Text = "",
    required_skills: Short = "",
    question_count: Annotated[int, Form()] = 6,
    seconds_per_question: Annotated[int, Form()] = 180,
    extra_time_percent: Annotated[int, Form()] = 0,
) -> HTMLResponse | RedirectResponse:
    check_csrf(request, csrf_token)
    require(user, *READERS)
    form = dict(await request.form())
    form.pop("resume", None)
    text = resume_text_field
    try:
        if resume is not None and resume.filename:
            data = await resume.read(hub.settings.max_resume_bytes + 1)
            if len(data) > hub.settings.max_resume_bytes:
                raise PayloadTooLargeError(
                    f"a resume may have at most {hub.settings.max_resume_bytes} bytes"
                )
            text = resume_text(resume.filename, data)
        new = NewSession(
            candidate=CandidateWire(
                full_name=candidate_name.strip(),
                email=candidate_email.strip(),
                resume_text=text,
            ),
            job=JobWire(
                title=job_title.strip(),
                text=job_text,
                required_skills=[s.strip() for s in required_skills.split(",") if s.strip()],
            ),
            settings=SettingsWire(
                question_count=question_count,
                seconds_per_question=seconds_per_question,
                extra_time_percent=extra_time_percent,
            ),
        )
        if not new.candidate.full_name or not new.job.title:
            raise InvalidInputError("a session needs the candidate's name and a job title")
    except ValidationError as error:
        problem = error.errors()[0]
        message = f"{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}"
        return render(request, "session_new.html", user, 422, form=form, error=message)
    except InvalidInputError as error:
        return render(request, "session_new.html", user, 422, form=form, error=str(error))
    created = hub.records.create(user, new)
    return RedirectResponse(f"/sessions/{created.session_id}/slip", status_code=303)


@router.get("/sessions/{session_id}/slip", response_class=HTMLResponse)
def slip(request: Request, session_id: str, hub: HubDep, user: UserDep) -> HTMLResponse:
    require(user, *EVERYONE)
    return render(request, "slip.html", user, session=hub.records.summary(user, session_id))


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: str, hub: HubDep, user: UserDep) -> HTMLResponse:
    require(user, *READERS)
    return render(request, "session.html", user, detail=hub.records.detail(user, session_id))


@router.get("/sessions/{session_id}/report.pdf")
def report_pdf(session_id: str, hub: HubDep, user: UserDep) -> Response:
    require(user, *READERS)
    summary = hub.records.summary(user, session_id)
    return Response(
        hub.records.report_pdf(user, session_id),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="report-{summary.session_key}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/sessions/{session_id}/media/{sha256}")
def media(
    session_id: str,
    sha256: Annotated[str, Path(pattern=SHA256_PATTERN)],
    hub: HubDep,
    user: UserDep,
) -> Response:
    require(user, *READERS)
    data, content_type = hub.records.blob(user, session_id, sha256)
    return Response(
        data,
        media_type=content_type,
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


@router.post("/sessions/{session_id}/events/{event_id}/review")
def review(
    request: Request,
    session_id: str,
    event_id: str,
    hub: HubDep,
    user: UserDep,
    decision: Short,
    comment: Text = "",
    csrf_token: Csrf = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    require(user, *READERS)
    hub.records.review_event(user, session_id, event_id, decision, comment)
    return RedirectResponse(f"/sessions/{session_id}#flags", status_code=303)


@router.post("/sessions/{session_id}/delete")
def delete(
    request: Request,
    session_id: str,
    hub: HubDep,
    user: UserDep,
    reason: Text = "",
    csrf_token: Csrf = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    require(user, *READERS)
    hub.records.delete(user, session_id, reason)
    return RedirectResponse("/", status_code=303)
