"""Setting up the second factor: a QR code (and the secret as text) for an authenticator app,
then one code from it to prove the set-up worked. Admins must do this before anything else;
everyone else may."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hub.api.deps import HubDep
from hub.errors import NotFoundError
from hub.portal.deps import EnrollingUserDep, render
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.security import totp

router = APIRouter(prefix="/account/two-factor", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def setup_page(request: Request, hub: HubDep, user: EnrollingUserDep) -> HTMLResponse:
    secret = None if user.two_factor else hub.accounts.begin_two_factor(user)
    return render(request, "two_factor.html", user, secret=secret)


@router.get("/qr.svg")
def qr_code(hub: HubDep, user: EnrollingUserDep) -> Response:
    """The pending secret as a QR code an authenticator app scans (SVG, drawn by segno)."""
    if user.two_factor:
        raise NotFoundError("your second factor is already set up")
    uri = totp.provisioning_uri(hub.accounts.begin_two_factor(user), user.email)
    return Response(totp.qr_svg(uri), media_type="image/svg+xml")


@router.post("", response_model=None)
def confirm(
    request: Request,
    hub: HubDep,
    user: EnrollingUserDep,
    code: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        check_form(request, csrf_token)
        hub.accounts.confirm_two_factor(user, code)
    except FORM_ERRORS as error:
        secret = hub.accounts.begin_two_factor(user)
        return render(
            request,
            "two_factor.html",
            user,
            error.status,
            secret=secret,
            errors={"code": sentence(error)},
        )
    return RedirectResponse("/account/two-factor", status_code=303)
