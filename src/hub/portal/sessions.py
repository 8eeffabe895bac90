"""HR pages about interview sessions: list, create (and print the slip), read, review,
re-score with Gemini, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from contract.wire import IDENTIFIER_PATTERN, SHA256_PATTERN, SessionStateName
from hub.api.deps import HubDep
from hub.container import Hub
from hub.portal.deps import RescoringDep, UserDep, render, require
from hub.portal.errors import FORM_ERRORS, check_form, fields_of, sentence
from hub.portal.files import file_response
from hub.portal.session_form import read_session_form, typed
from hub.rescoring.jobs import RescoreJobs
from hub.views import PortalUser

router = APIRouter(include_in_schema=False)
READERS = ("admin", "hr")
EVERYONE = ("admin", "hr", "invigilator")
STATES = SessionStateName.__args__
Text = Annotated[str, Form(max_length=200_000)]
Short = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form(max_length=200)]
#: Ids in a path have the wire's one id format; anything else never reaches a query.
SessionId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
EventId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]


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
    request: Request, hub: HubDep, user: UserDep
) -> HTMLResponse | RedirectResponse:
    require(user, *READERS)
    async with request.form(max_files=1, max_fields=30) as form:
        try:
            check_form(request, str(form.get("csrf_token", "")))
            new = await read_session_form(form, hub.settings.max_resume_bytes)
        except FORM_ERRORS as error:
            return render(
                request,
                "session_new.html",
                user,
                error.status,
                form=typed(form),
                errors=fields_of(error),
                error=str(error),
            )
    created = hub.records.create(user, new)
    return RedirectResponse(f"/sessions/{created.session_id}/slip", status_code=303)


@router.get("/sessions/{session_id}/slip", response_class=HTMLResponse)
def slip(request: Request, session_id: SessionId, hub: HubDep, user: UserDep) -> HTMLResponse:
    require(user, *EVERYONE)
    return render(request, "slip.html", user, session=hub.records.summary(user, session_id))


def _session_page(
    request: Request,
    hub: Hub,
    rescoring: RescoreJobs,
    user: PortalUser,
    session_id: SessionId,
    status_code: int = 200,
    **extra: object,
) -> HTMLResponse:
    """The session page; a refused form on it passes `errors` and `form` to show them again."""
    detail = hub.records.detail(user, session_id)
    return render(
        request,
        "session.html",
        user,
        status_code,
        detail=detail,
        rescoring=rescoring.status(detail, hub.records.audit_log(user)),
        **extra,
    )


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request, session_id: SessionId, hub: HubDep, user: UserDep, rescoring: RescoringDep
) -> HTMLResponse:
    require(user, *READERS)
    return _session_page(request, hub, rescoring, user, session_id)


@router.get("/sessions/{session_id}/report.pdf")
def report_pdf(session_id: SessionId, hub: HubDep, user: UserDep) -> FileResponse:
    require(user, *READERS)
    summary = hub.records.summary(user, session_id)
    return file_response(hub.records.report_pdf(user, session_id), f"report-{summary.session_key}")


@router.get("/sessions/{session_id}/media/{sha256}")
def media(
    session_id: SessionId,
    sha256: Annotated[str, Path(pattern=SHA256_PATTERN)],
    hub: HubDep,
    user: UserDep,
) -> FileResponse:
    require(user, *READERS)
    return file_response(hub.records.media(user, session_id, sha256), sha256)


@router.post("/sessions/{session_id}/events/{event_id}/review", response_model=None)
def review(
    request: Request,
    session_id: SessionId,
    event_id: EventId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    decision: Short = "",
    comment: Text = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    require(user, *READERS)
    try:
        check_form(request, csrf_token)
        hub.records.review_event(user, session_id, event_id, decision, comment)
    except FORM_ERRORS as error:
        return _session_page(
            request,
            hub,
            rescoring,
            user,
            session_id,
            error.status,
            errors={f"review-{event_id}": sentence(error)},
            form={"event_id": event_id, "comment": comment},
        )
    return RedirectResponse(f"/sessions/{session_id}#flags", status_code=303)


@router.post("/sessions/{session_id}/rescore", response_model=None)
def rescore(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    background: BackgroundTasks,
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Start re-scoring the provisional answers with Gemini; it runs after the response."""
    require(user, *READERS)
    detail = hub.records.detail(user, session_id)  # another organisation's: not found
    try:
        check_form(request, csrf_token)
        job = rescoring.start(user, detail)
    except FORM_ERRORS as error:
        return _session_page(
            request,
            hub,
            rescoring,
            user,
            session_id,
            error.status,
            errors={"rescore": sentence(error)},
        )
    background.add_task(rescoring.run, job)
    return RedirectResponse(f"/sessions/{session_id}#scores", status_code=303)


@router.post("/sessions/{session_id}/delete", response_model=None)
def delete(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    reason: Text = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    require(user, *READERS)
    try:
        check_form(request, csrf_token)
        hub.records.delete(user, session_id, reason)
    except FORM_ERRORS as error:
        return _session_page(
            request,
            hub,
            rescoring,
            user,
            session_id,
            error.status,
            errors={"delete": sentence(error)},
            form={"reason": reason},
        )
    return RedirectResponse("/", status_code=303)
