"""HR's decisions on a completed interview: record one, confirm one as the second reviewer, the
organisation's second-reviewer setting, and the hub's PDF with the decisions in it."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hub.api.deps import HubDep
from hub.media import HEAD_BYTES, sniff
from hub.portal.admin import _page as admin_page
from hub.portal.decision_form import read_decision_form, typed
from hub.portal.deps import RescoringDep, UserDep, require
from hub.portal.errors import FORM_ERRORS, check_form, fields_of, sentence
from hub.portal.files import file_response
from hub.portal.sessions import READERS, SessionId
from hub.portal.sessions import _session_page as session_page
from hub.rescoring.report import render_session_report
from hub.views import StoredMedia

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
DecisionId = Annotated[int, Path(ge=1, le=2**62)]
#: Where the session page's decision section starts.
SECTION = "#decision"


@router.post("/sessions/{session_id}/decisions", response_model=None)
async def record_decision(
    request: Request, session_id: SessionId, hub: HubDep, user: UserDep, rescoring: RescoringDep
) -> HTMLResponse | RedirectResponse:
    """Record the user's decision; a refused form comes back with each problem at its field."""
    require(user, *READERS)
    hub.decisions.for_session(user, session_id)  # another organisation's: not found, first
    async with request.form(max_files=0, max_fields=20, max_part_size=64 * 1024) as form:
        try:
            check_form(request, str(form.get("csrf_token", "")))
            hub.decisions.record(user, session_id, read_decision_form(form))
        except FORM_ERRORS as error:
            return session_page(
                request, hub, rescoring, user, session_id, error.status,
                errors={**fields_of(error), "decision": sentence(error)},
                form=typed(form),
            )
    return RedirectResponse(f"/sessions/{session_id}{SECTION}", status_code=303)


@router.post("/sessions/{session_id}/decisions/{decision_id}/confirm", response_model=None)
def confirm_decision(
    request: Request,
    session_id: SessionId,
    decision_id: DecisionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """The second reviewer confirms the pending decision (its maker is refused, in words)."""
    require(user, *READERS)
    hub.decisions.for_session(user, session_id)
    try:
        check_form(request, csrf_token)
        hub.decisions.confirm(user, session_id, decision_id)
    except FORM_ERRORS as error:
        return session_page(
            request, hub, rescoring, user, session_id, error.status,
            errors={"decision_confirm": sentence(error)},
        )
    return RedirectResponse(f"/sessions/{session_id}{SECTION}", status_code=303)


@router.get("/sessions/{session_id}/decisions.pdf")
def report_with_decisions(
    request: Request, session_id: SessionId, hub: HubDep, user: UserDep
) -> Response:
    """The hub's PDF of the session as it stands now, with HR's reviews and decisions."""
    require(user, *READERS)
    summary = hub.records.summary(user, session_id)  # another organisation's: not found
    pdf = render_session_report(hub.database, hub.blobs, session_id)
    media = StoredMedia(
        hashlib.sha256(pdf).hexdigest(),
        len(pdf),
        sniff(pdf[:HEAD_BYTES]),
        lambda start, stop: iter((pdf[start:stop],)),
    )
    return file_response(
        media, f"report-{summary.session_key}-decisions", request.headers.get("range")
    )


@router.post("/admin/decisions", response_model=None)
def second_reviewer_setting(
    request: Request,
    hub: HubDep,
    user: UserDep,
    second_reviewer: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Whether decisions need a second reviewer (admins only); audited."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.decisions.set_second_reviewer(user, second_reviewer == "yes")
    except FORM_ERRORS as error:
        return admin_page(
            request, hub, user, error.status,
            errors={"decisions": sentence(error)},
            form={"second_reviewer": second_reviewer},
        )
    return RedirectResponse("/admin#decisions", status_code=303)
