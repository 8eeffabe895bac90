"""What every portal page needs: the logged-in user, role checks, CSRF, services, rendering."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from hub import glossary
from hub.api.deps import HubDep
from hub.container import Hub
from hub.errors import ForbiddenError, NotAuthenticatedError, RedirectError
from hub.portal.cookies import keep_anon_seed
from hub.rescoring.jobs import RescoreJobs
from hub.security.csrf import SESSION_COOKIE, csrf_token
from hub.services.portal_sessions import PASSWORD_ONLY
from hub.views import PortalUser, SignedIn


def url_segment(value: object) -> str:
    """`value` as one URL path segment: every reserved character escaped, and `.`/`..` too.

    Ids reach pages from kiosks; one that became a path (`../../admin/purge?`) would turn a
    form's action into another page. The wire contract already refuses such ids; this filter
    is the second line, for every id a template puts into a URL.
    """
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.filters["segment"] = url_segment
glossary.register(templates.env)  # HR reads words, never `virtual_machine` or `strong_no`


#: Where a user whose password an admin reset chooses their own (`hub.portal.password_reset`).
NEW_PASSWORD_PAGE = "/account/new-password"


class LoginRequiredError(NotAuthenticatedError):
    """No portal session: the browser is sent to the login page."""


def _session(request: Request, hub: Hub) -> SignedIn:
    signed_in = hub.portal_sessions.resolve(request.cookies.get(SESSION_COOKIE))
    if signed_in is None:
        raise LoginRequiredError("please log in")
    return signed_in


def pending_user(request: Request, hub: HubDep) -> PortalUser:
    """The user of a session whose password was right and whose second factor is to come."""
    signed_in = _session(request, hub)
    if signed_in.stage != PASSWORD_ONLY:
        raise LoginRequiredError("please log in")
    return signed_in.user


def password_changing_user(request: Request, hub: HubDep) -> PortalUser:
    """The signed-in user (both factors given) on the page where a reset password is replaced,
    the one page such a user may see."""
    signed_in = _session(request, hub)
    if signed_in.stage == PASSWORD_ONLY:
        raise RedirectError("enter the code from your authenticator app", "/login/code")
    request.state.user = signed_in.user
    return signed_in.user


def enrolling_user(request: Request, hub: HubDep) -> PortalUser:
    """The signed-in user (both factors given, where they have two), who may be an admin still
    to set up the second factor: only the set-up pages (and logout) take this."""
    user = password_changing_user(request, hub)
    if user.must_change_password:  # an admin reset it: a new one comes first
        raise RedirectError("choose a new password first", NEW_PASSWORD_PAGE)
    return user


def current_user(request: Request, hub: HubDep) -> PortalUser:
    """The signed-in user of every other page; an admin without a second factor is sent to
    set one up first."""
    user = enrolling_user(request, hub)
    if user.needs_two_factor:
        raise RedirectError("set up your second factor first", "/account/two-factor")
    return user


UserDep = Annotated[PortalUser, Depends(current_user)]
EnrollingUserDep = Annotated[PortalUser, Depends(enrolling_user)]
PendingUserDep = Annotated[PortalUser, Depends(pending_user)]
PasswordChangingUserDep = Annotated[PortalUser, Depends(password_changing_user)]


def require(user: PortalUser, *roles: str) -> None:
    if not user.can(*roles):
        raise ForbiddenError(f"your role ({user.role}) may not do this")


def get_rescoring(request: Request) -> RescoreJobs:
    jobs: RescoreJobs = request.app.state.rescoring
    return jobs


RescoringDep = Annotated[RescoreJobs, Depends(get_rescoring)]


def render(
    request: Request, name: str, user: PortalUser | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page; `errors` (messages by field) and `form` (the input to show again) default empty."""
    context.setdefault("errors", {})
    context.setdefault("form", {})
    context.update(user=user, csrf_token=csrf_token(request))
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    keep_anon_seed(request, response)
    return response
