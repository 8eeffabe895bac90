"""Admin pages: users, kiosks (enrolment codes, revocation), data retention, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.api.deps import HubDep
from hub.portal.deps import UserDep, render, require
from hub.security.csrf import check_csrf

router = APIRouter(prefix="/admin", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]


def _page(request: Request, hub: HubDep, user: UserDep, **extra: object) -> HTMLResponse:
    return render(
        request,
        "admin.html",
        user,
        users=hub.accounts.users(user.org_id),
        kiosks=hub.enrolment.kiosks(user.org_id),
        retention_days=hub.records.retention_days(user),
        audit=hub.records.audit_log(user),
        **extra,
    )


@router.get("", response_class=HTMLResponse)
def admin_page(request: Request, hub: HubDep, user: UserDep) -> HTMLResponse:
    require(user, "admin")
    return _page(request, hub, user)


@router.post("/users", response_model=None)
def create_user(
    request: Request,
    hub: HubDep,
    user: UserDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=20)],
    csrf_token: Csrf = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    require(user, "admin")
    hub.accounts.create_user(user.org_id, email, password, role, actor=user.email)
    return RedirectResponse("/admin", status_code=303)


@router.post("/enrolment-codes", response_class=HTMLResponse)
def issue_code(request: Request, hub: HubDep, user: UserDep, csrf_token: Csrf = "") -> HTMLResponse:
    check_csrf(request, csrf_token)
    require(user, "admin")
    return _page(request, hub, user, issued=hub.enrolment.issue_code(user.org_id, user.email))


@router.post("/kiosks/{kiosk_id}/revoke")
def revoke(
    request: Request, kiosk_id: str, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    require(user, "admin")
    hub.enrolment.revoke(user.org_id, kiosk_id, user.email)
    return RedirectResponse("/admin", status_code=303)


@router.post("/retention")
def retention(
    request: Request,
    hub: HubDep,
    user: UserDep,
    days: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Csrf = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    require(user, "admin")
    hub.records.set_retention(user, int(days) if days.strip().isdigit() else None)
    return RedirectResponse("/admin", status_code=303)


@router.post("/purge", response_class=HTMLResponse)
def purge(request: Request, hub: HubDep, user: UserDep, csrf_token: Csrf = "") -> HTMLResponse:
    check_csrf(request, csrf_token)
    require(user, "admin")
    return _page(request, hub, user, purged=hub.records.purge_expired(user.org_id))
