"""Resetting a forgotten password: an admin's button on a user's row, the page that shows the
temporary password once, and the page where the user then chooses their own (the only page
they reach until they do; `hub.portal.deps.enrolling_user` sends them there)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.wire import IDENTIFIER_PATTERN
from hub.api.deps import HubDep
from hub.portal.admin import _refused
from hub.portal.deps import NEW_PASSWORD_PAGE, PasswordChangingUserDep, UserDep, render, require
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.security.csrf import SESSION_COOKIE

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
Secret = Annotated[str, Form(max_length=1000)]
UserId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
#: The page with a temporary password is kept by no cache and no browser history.
NOT_STORED = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post("/admin/users/{user_id}/reset-password", response_model=None)
def reset_password(
    request: Request, user_id: UserId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse:
    """A temporary password for the user, shown on this answer only (never again)."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        issued = hub.password_resets.reset(user, user_id)
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "users")
    page = render(request, "admin_password_reset.html", user, issued=issued)
    page.headers.update(NOT_STORED)
    return page


@router.get(NEW_PASSWORD_PAGE, response_model=None)
def new_password_page(
    request: Request, user: PasswordChangingUserDep
) -> HTMLResponse | RedirectResponse:
    if not user.must_change_password:
        return RedirectResponse("/account", status_code=303)
    return render(request, "account_new_password.html", user)


@router.post(NEW_PASSWORD_PAGE, response_model=None)
def choose_new_password(
    request: Request,
    hub: HubDep,
    user: PasswordChangingUserDep,
    new: Secret = "",
    repeat: Secret = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """The user's own password replaces the temporary one; then the portal opens."""
    try:
        check_form(request, csrf_token)
        keep = request.cookies.get(SESSION_COOKIE)
        hub.password_resets.replace_temporary(user, new, repeat, keep)
    except FORM_ERRORS as error:  # no password is ever sent back
        page = "account_new_password.html"
        return render(request, page, user, error.status, errors={"password": sentence(error)})
    return RedirectResponse("/account?changed=password", status_code=303)
