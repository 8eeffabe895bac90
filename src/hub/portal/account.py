"""A user's own account: change the password (ending every other session of theirs)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.api.deps import HubDep
from hub.portal.deps import UserDep, render
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.security.csrf import SESSION_COOKIE

router = APIRouter(prefix="/account", include_in_schema=False)
Secret = Annotated[str, Form(max_length=1000)]


@router.get("", response_class=HTMLResponse)
def account_page(request: Request, user: UserDep) -> HTMLResponse:
    return render(request, "account.html", user)


@router.post("/password", response_model=None)
def change_password(
    request: Request,
    hub: HubDep,
    user: UserDep,
    current: Secret = "",
    new: Secret = "",
    repeat: Secret = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        check_form(request, csrf_token)
        keep = request.cookies.get(SESSION_COOKIE)
        hub.accounts.change_password(user, current, new, repeat, keep)
    except FORM_ERRORS as error:  # no password is ever sent back
        return render(
            request, "account.html", user, error.status, errors={"password": sentence(error)}
        )
    return RedirectResponse("/account?changed=password", status_code=303)
