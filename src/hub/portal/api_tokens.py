"""Admin forms for the ATS read API's tokens: create (shown once) and revoke. The list is part
of the admin page (`_api_tokens.html`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.wire import IDENTIFIER_PATTERN
from hub.api.deps import HubDep
from hub.errors import InvalidInputError
from hub.portal.admin import _page, _refused
from hub.portal.deps import UserDep, require
from hub.portal.errors import FORM_ERRORS, check_form

router = APIRouter(prefix="/admin/api-tokens", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
TokenId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]


@router.post("", response_class=HTMLResponse)
def create_token(
    request: Request,
    hub: HubDep,
    user: UserDep,
    name: Annotated[str, Form(max_length=100)] = "",
    days: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse:
    """A new token, shown on the admin page this once (never stored in the clear)."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        issued = hub.api_tokens.create(user, name, _days(days))
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "api_tokens", name=name, days=days)
    return _page(request, hub, user, issued_token=issued)


@router.post("/{token_id}/revoke", response_model=None)
def revoke_token(
    request: Request, token_id: TokenId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse | RedirectResponse:
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.api_tokens.revoke(user, token_id)
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "api_tokens")
    return RedirectResponse("/admin#api-tokens", status_code=303)


def _days(typed: str) -> int | None:
    """Empty: valid until revoked; anything else must be a whole number of days."""
    if not typed.strip():
        return None
    if not typed.strip().isdigit():
        raise InvalidInputError(
            f"“{typed}” is not a number of days: enter a whole number, "
            "or leave it empty for a token that is valid until revoked"
        )
    return int(typed)
