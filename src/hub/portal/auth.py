"""Logging in and out. A new session id and CSRF token at login stop session fixation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.api.deps import HubDep
from hub.errors import InvalidInputError, NotAuthenticatedError
from hub.portal.deps import USER_FIELD, render
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.security.csrf import check_csrf

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", None)


@router.post("/login", response_model=None)
def login(
    request: Request,
    hub: HubDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse | RedirectResponse:
    """A refused login shows the form again with the e-mail address kept, never the password."""
    try:
        check_form(request, csrf_token)
        if not email.strip() or not password:
            raise InvalidInputError("Enter your e-mail address and your password.")
        user = hub.accounts.login(email, password)
    except (NotAuthenticatedError, *FORM_ERRORS) as error:
        message = sentence(error)
        return render(request, "login.html", None, error.status, error=message, email=email)
    request.session.clear()
    request.session[USER_FIELD] = user.user_id
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(
    request: Request, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
