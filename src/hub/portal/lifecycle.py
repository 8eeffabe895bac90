"""HR's changes to a session before its interview, from the session page's "Before the
interview" section: extend the key, reissue it, cancel, edit the candidate, day or centre.
HR and admins only; each form is CSRF-checked, audited, and refused in words (on the same
page, next to the form) when the session's state does not allow it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.wire import IDENTIFIER_PATTERN
from hub.api.deps import HubDep
from hub.errors import InvalidInputError
from hub.portal.deps import RescoringDep, UserDep, require
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.portal.sessions import _session_page
from hub.services.lifecycle import SessionEdit

router = APIRouter(include_in_schema=False)
SessionId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
Short = Annotated[str, Form(max_length=500)]
Text = Annotated[str, Form(max_length=2000)]
Csrf = Annotated[str, Form(max_length=200)]
SECTION = "lifecycle"


def _act(
    request: Request,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    session_id: str,
    csrf_token: str,
    act: Callable[[], object],
    kept: dict[str, str] | None = None,
) -> HTMLResponse | RedirectResponse:
    """A checked form, the change, back to the session's section (or the page again with the
    reason next to the form and the input kept)."""
    require(user, "admin", "hr")
    try:
        check_form(request, csrf_token)
        act()
    except FORM_ERRORS as error:
        return _session_page(
            request,
            hub,
            rescoring,
            user,
            session_id,
            error.status,
            errors={SECTION: sentence(error)},
            form=kept or {},
        )
    return RedirectResponse(f"/sessions/{session_id}#{SECTION}", status_code=303)


@router.post("/sessions/{session_id}/extend", response_model=None)
def extend(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    days: Short = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    def act() -> None:
        if not days.strip().isdigit():
            raise InvalidInputError(f"“{days}” is not a number of days: enter a whole number")
        hub.lifecycle.extend(user, session_id, int(days))

    return _act(request, hub, user, rescoring, session_id, csrf_token, act, {"days": days})


@router.post("/sessions/{session_id}/reissue", response_model=None)
def reissue(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    return _act(
        request,
        hub,
        user,
        rescoring,
        session_id,
        csrf_token,
        lambda: hub.lifecycle.reissue(user, session_id),
    )


@router.post("/sessions/{session_id}/cancel", response_model=None)
def cancel(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    reason: Text = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    return _act(
        request,
        hub,
        user,
        rescoring,
        session_id,
        csrf_token,
        lambda: hub.lifecycle.cancel(user, session_id, reason),
        {"cancel_reason": reason},
    )


@router.post("/sessions/{session_id}/edit", response_model=None)
def edit(
    request: Request,
    session_id: SessionId,
    hub: HubDep,
    user: UserDep,
    rescoring: RescoringDep,
    full_name: Short = "",
    email: Short = "",
    interview_on: Annotated[str, Form(max_length=10)] = "",
    centre_id: Annotated[str, Form(max_length=36)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    def act() -> None:
        hub.lifecycle.edit(
            user,
            session_id,
            SessionEdit(full_name, email, _day(interview_on), centre_id or None),
        )

    kept = {"edit_name": full_name, "edit_email": email, "edit_day": interview_on}
    return _act(request, hub, user, rescoring, session_id, csrf_token, act, kept)


def _day(typed: str) -> date | None:
    """Empty: any day while the key is valid."""
    if not typed.strip():
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidInputError(f"“{typed}” is not a date: use YYYY-MM-DD") from None
