"""Signing in and out. Every sign-in starts a new server-side session with a new random id
(ending the browser's previous one), so an id planted or captured earlier never becomes a
signed-in session; signing out ends the session on the hub, not only in the browser."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.api.deps import HubDep, client_address
from hub.errors import InvalidInputError, NotAuthenticatedError, RateLimitedError
from hub.portal.cookies import clear_session_cookie, set_session_cookie
from hub.portal.deps import PendingUserDep, render
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.security.csrf import SESSION_COOKIE, check_csrf
from hub.services.portal_sessions import PASSWORD_ONLY, SIGNED_IN

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
        user = hub.accounts.login(email, password, client_address(request))
    except (NotAuthenticatedError, RateLimitedError, *FORM_ERRORS) as error:
        message = sentence(error)
        return render(request, "login.html", None, error.status, error=message, email=email)
    stage = PASSWORD_ONLY if user.two_factor else SIGNED_IN
    raw = hub.portal_sessions.start(
        user.user_id, stage, replaces=request.cookies.get(SESSION_COOKIE)
    )
    response = RedirectResponse("/login/code" if user.two_factor else "/", status_code=303)
    set_session_cookie(request, response, raw)
    return response


@router.get("/login/code", response_class=HTMLResponse)
def code_page(request: Request, user: PendingUserDep) -> HTMLResponse:
    return render(request, "login_code.html", None, email=user.email)


@router.post("/login/code", response_model=None)
def second_factor(
    request: Request,
    hub: HubDep,
    user: PendingUserDep,
    code: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse | RedirectResponse:
    """The code from the authenticator app; a right one starts the signed-in session under a
    new id (the password-only one ends)."""
    try:
        check_form(request, csrf_token)
        hub.accounts.second_factor(user, code, client_address(request))
    except (NotAuthenticatedError, RateLimitedError, *FORM_ERRORS) as error:
        return render(
            request, "login_code.html", None, error.status, error=sentence(error), email=user.email
        )
    raw = hub.portal_sessions.start(
        user.user_id, SIGNED_IN, replaces=request.cookies.get(SESSION_COOKIE)
    )
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, raw)
    return response


@router.post("/logout")
def logout(
    request: Request, hub: HubDep, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    hub.portal_sessions.end(request.cookies.get(SESSION_COOKIE), "signed out")
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response
