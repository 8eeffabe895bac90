"""HR pages about interview sessions (their list is `hub.portal.dashboard`): create (and print
the slip), read, review, re-score with Gemini, re-judge the proctoring under another policy,
delete."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from contract.wire import IDENTIFIER_PATTERN, SHA256_PATTERN
from hub.api.deps import HubDep
from hub.container import Hub
from hub.errors import InvalidInputError
from hub.portal.deps import RescoringDep, UserDep, render, require
from hub.portal.errors import FORM_ERRORS, check_form, fields_of, sentence
from hub.portal.files import file_response
from hub.portal.jobs import get_jobs
from hub.portal.session_form import read_session_form, typed
from hub.rescoring.jobs import FAILED, FINISHED, RescoreJobs
from hub.services.replays import DECISIONS, MAX_POLICY_BYTES
from hub.views import PortalUser

router = APIRouter(include_in_schema=False)
READERS = ("admin", "hr")
EVERYONE = ("admin", "hr", "invigilator")
RESCORE_OUTCOMES = (FINISHED, FAILED)
Text = Annotated[str, Form(max_length=200_000)]
Short = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form(max_length=200)]
#: Ids in a path have the wire's one id format; anything else never reaches a query.
SessionId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
EventId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]


def _session_form(
    request: Request,
    hub: Hub,
    user: PortalUser,
    form: dict[str, str],
    status_code: int = 200,
    **extra: object,
) -> HTMLResponse:
    """The new-session form; the day defaults to today (UTC) so a pack goes out on that day."""
    form = {"interview_on": hub.clock().date().isoformat(), **form}
    centres = hub.centres.in_org(user.org_id)
    jobs = get_jobs(hub).open_jobs(user)
    return render(
        request, "session_new.html", user, status_code, form=form, centres=centres,
        jobs=jobs, mail_enabled=hub.mail.enabled, **extra,
    )


@router.get("/sessions/new", response_class=HTMLResponse)
def new_session_page(
    request: Request, hub: HubDep, user: UserDep, job: Annotated[str, Query(max_length=64)] = ""
) -> HTMLResponse:
    """The form; `?job=` picks that job (the job page's "book a session" link)."""
    require(user, *READERS)
    return _session_form(request, hub, user, {"job_id": job} if job else {})


@router.post("/sessions/new", response_model=None)
async def create_session(
    request: Request, hub: HubDep, user: UserDep
) -> HTMLResponse | RedirectResponse:
    require(user, *READERS)
    async with request.form(max_files=1, max_fields=30) as form:
        try:
            check_form(request, str(form.get("csrf_token", "")))
            job_id = str(form.get("job_id", "")).strip() or None
            job = get_jobs(hub).for_new_session(user, job_id) if job_id else None
            new = await read_session_form(
                form,
                hub.settings.max_resume_bytes,
                job.session_values() if job else None,
                job_id,
            )
            created = hub.records.create(user, new)
        except FORM_ERRORS as error:
            return _session_form(
                request,
                hub,
                user,
                typed(form),
                error.status,
                errors=fields_of(error),
                error=sentence(error),
            )
    return RedirectResponse(f"/sessions/{created.session_id}/slip", status_code=303)


@router.get("/sessions/{session_id}/slip", response_class=HTMLResponse)
def slip(request: Request, session_id: SessionId, hub: HubDep, user: UserDep) -> HTMLResponse:
    require(user, *EVERYONE)
    session = hub.records.summary(user, session_id)
    return render(
        request,
        "slip.html",
        user,
        session=session,
        mail=hub.mail.session_mail(user, session_id),
        centre=hub.centres.of_session(user, session_id),
    )


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
        rescoring=rescoring.status(
            detail, hub.records.audit_about(user, detail.summary.session_key, RESCORE_OUTCOMES)
        ),
        replay_choices=hub.replays.choices(user),
        replay_decisions=hub.replays.decisions(user, session_id),
        replay_verdicts=DECISIONS,
        lifecycle=hub.lifecycle.view(user, session_id),
        centres=hub.centres.in_org(user.org_id),
        mail=hub.mail.session_mail(user, session_id),
        decisions=hub.decisions.for_session(user, session_id),
        **extra,
    )


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request, session_id: SessionId, hub: HubDep, user: UserDep, rescoring: RescoringDep
) -> HTMLResponse:
    require(user, *READERS)
    return _session_page(request, hub, rescoring, user, session_id)


@router.get("/sessions/{session_id}/report.pdf")
def report_pdf(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    view: Annotated[Literal["", "inline"], Query()] = "",
) -> Response:
    """The report; `?view=inline` opens it in the browser's PDF viewer instead of saving it."""
    require(user, *READERS)
    summary = hub.records.summary(user, session_id)
    return file_response(
        hub.records.report_pdf(user, session_id),
        f"report-{summary.session_key}",
        request.headers.get("range"),
        view_pdf=view == "inline",
    )


@router.get("/sessions/{session_id}/media/{sha256}")
def media(
    session_id: SessionId,
    sha256: Annotated[str, Path(pattern=SHA256_PATTERN)],
    hub: HubDep,
    user: UserDep,
    request: Request,
) -> Response:
    """A blob of the session; a `Range` header gets that part of it (audio seeks)."""
    require(user, *READERS)
    media = hub.records.media(user, session_id, sha256)
    return file_response(media, sha256, request.headers.get("range"))


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
    return RedirectResponse(f"/sessions/{session_id}#flag-{event_id}", status_code=303)


@router.post("/sessions/{session_id}/replay", response_model=None)
async def rejudge(
    request: Request, session_id: SessionId, hub: HubDep, user: UserDep, rescoring: RescoringDep
) -> HTMLResponse:
    """Re-run the proctoring rules over the session's observation track under an uploaded or
    picked policy, and show the events beside the original ones (nothing is stored)."""
    require(user, *READERS)
    async with request.form(max_files=1, max_fields=5) as form:
        try:
            check_form(request, str(form.get("csrf_token", "")))
            text, origin = await _chosen_policy(hub, user, form.get("policy_file"),
                                                str(form.get("policy", "")))
            view = hub.replays.rejudge(user, session_id, text, origin)
        except FORM_ERRORS as error:
            return _session_page(
                request, hub, rescoring, user, session_id, error.status,
                errors={"replay": sentence(error)},
            )
    return _session_page(request, hub, rescoring, user, session_id, replay=view)


async def _chosen_policy(
    hub: Hub, user: PortalUser, upload: object, picked: str
) -> tuple[str, str]:
    """The policy's text and where it came from: an uploaded file wins over a pick."""
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_POLICY_BYTES + 1)
        if len(data) > MAX_POLICY_BYTES:
            raise InvalidInputError("a proctoring policy is a short TOML file; this one is too big")
        try:
            return data.decode("utf-8"), upload.filename
        except UnicodeDecodeError:
            raise InvalidInputError(f"{upload.filename} is not a text (TOML) file") from None
    choice = next((c for c in hub.replays.choices(user) if c.key == picked), None)
    if choice is None:
        raise InvalidInputError("pick a policy from the list, or upload one")
    return choice.text, choice.label


@router.post("/sessions/{session_id}/replay/decision", response_model=None)
def replay_decision(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    policy_text: Annotated[str, Form(max_length=MAX_POLICY_BYTES)] = "",
    decision: Short = "",
    comment: Text = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Record which judgement stands after a re-judgement; audited."""
    require(user, *READERS)
    try:
        check_form(request, csrf_token)
        hub.replays.decide(user, session_id, policy_text, decision, comment)
    except FORM_ERRORS as error:
        return _session_page(
            request, hub, rescoring, user, session_id, error.status,
            errors={"replay": sentence(error)},
            form={"replay_comment": comment},
        )
    return RedirectResponse(f"/sessions/{session_id}#replay", status_code=303)


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
