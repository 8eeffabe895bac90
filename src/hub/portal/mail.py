"""HR's e-mail action on a session page: send the invitation with the key (again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.api.deps import HubDep
from hub.portal.deps import RescoringDep, UserDep, require
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.portal.sessions import READERS, SessionId, _session_page

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]


@router.post("/sessions/{session_id}/invitation", response_model=None)
def resend_invitation(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Queue the invitation e-mail for a session that has not started (audited); the page
    then lists it as waiting, and as sent once the background sender has sent it."""
    require(user, *READERS)
    try:
        check_form(request, csrf_token)
        hub.mail.resend(user, session_id)
    except FORM_ERRORS as error:
        return _session_page(
            request, hub, rescoring, user, session_id, error.status,
            errors={"mail": sentence(error)},
        )
    return RedirectResponse(f"/sessions/{session_id}#mail", status_code=303)
