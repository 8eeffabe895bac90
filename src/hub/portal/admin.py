"""Admin pages: users, kiosks (enrolment codes, revocation), the data policy and retention, the
audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.privacy import policy_text
from contract.wire import IDENTIFIER_PATTERN
from hub.api.deps import HubDep
from hub.container import Hub
from hub.errors import HubError, InvalidInputError
from hub.portal.deps import UserDep, render, require
from hub.portal.errors import FORM_ERRORS, check_form, sentence
from hub.views import PortalUser

router = APIRouter(prefix="/admin", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
KioskId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
UserId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
#: A centre's address or arrival instructions: the service says when it is too long (500), this
#: only bounds what a request may carry.
PlaceText = Annotated[str, Form(max_length=5000)]


def _page(
    request: Request,
    hub: Hub,
    user: PortalUser,
    status_code: int = 200,
    audit_page: int = 1,
    **extra: object,
) -> HTMLResponse:
    return render(
        request,
        "admin.html",
        user,
        status_code,
        users=hub.accounts.users(user.org_id),
        kiosks=hub.enrolment.kiosks(user.org_id),
        centres=hub.centres.in_org(user.org_id),
        retention_days=hub.records.retention_days(user),
        data_policy=hub.data_policies.get(user.org_id),
        policy_words=policy_text(hub.data_policies.get(user.org_id)).split("\n\n"),
        audit=hub.records.audit_log(user, audit_page),
        api_tokens=hub.api_tokens.in_org(user),
        second_reviewer=hub.decisions.second_reviewer(user),
        **extra,
    )


def _refused(
    request: Request, hub: Hub, user: PortalUser, error: HubError, section: str, **kept: str
) -> HTMLResponse:
    """The admin page again, the message next to the form of `section`, its input kept."""
    return _page(request, hub, user, error.status, errors={section: sentence(error)}, form=kept)


@router.get("", response_class=HTMLResponse)
def admin_page(
    request: Request,
    hub: HubDep,
    user: UserDep,
    audit_page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> HTMLResponse:
    require(user, "admin")
    return _page(request, hub, user, audit_page=audit_page)


@router.post("/users", response_model=None)
def create_user(
    request: Request,
    hub: HubDep,
    user: UserDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.accounts.create_user(user.org_id, email, password, role, actor=user.email)
    except FORM_ERRORS as error:  # the password is never sent back
        return _refused(request, hub, user, error, "users", email=email, role=role)
    return RedirectResponse("/admin", status_code=303)


def _on_user(
    request: Request, hub: HubDep, user: UserDep, csrf_token: str, act: Callable[[], object]
) -> HTMLResponse | RedirectResponse:
    """An admin's action on one user: checked form, the action, back to the admin page (or
    the page again with the reason it was refused)."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        act()
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "users")
    return RedirectResponse("/admin", status_code=303)


@router.post("/users/{user_id}/disable", response_model=None)
def disable_user(
    request: Request, user_id: UserId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse | RedirectResponse:
    """No more sign-ins for the user, and every session of theirs ends now."""
    return _on_user(request, hub, user, csrf_token, lambda: hub.accounts.disable(user, user_id))


@router.post("/users/{user_id}/unlock", response_model=None)
def unlock_user(
    request: Request, user_id: UserId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse | RedirectResponse:
    """Lift the user's sign-in delays now (after failed sign-ins, theirs or a stranger's)."""
    return _on_user(request, hub, user, csrf_token, lambda: hub.accounts.unlock(user, user_id))


@router.post("/users/{user_id}/reset-two-factor", response_model=None)
def reset_two_factor(
    request: Request, user_id: UserId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse | RedirectResponse:
    """A user lost their authenticator: they set up a new one at their next sign-in."""
    return _on_user(
        request, hub, user, csrf_token, lambda: hub.accounts.reset_two_factor(user, user_id)
    )


@router.post("/enrolment-codes", response_class=HTMLResponse)
def issue_code(
    request: Request,
    hub: HubDep,
    user: UserDep,
    centre_id: Annotated[str, Form(max_length=36)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse:
    """A one-time code; the kiosk enrolled with it stands in the chosen centre (or none)."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        issued = hub.enrolment.issue_code(user.org_id, user.email, centre_id or None)
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "kiosks")
    return _page(request, hub, user, issued=issued)


@router.post("/centres", response_model=None)
def create_centre(
    request: Request,
    hub: HubDep,
    user: UserDep,
    name: Annotated[str, Form(max_length=200)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    address: PlaceText = "",
    instructions: PlaceText = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.centres.create(user, name, timezone, address, instructions)
    except FORM_ERRORS as error:
        kept = {"address": address, "instructions": instructions}
        return _refused(request, hub, user, error, "centres", name=name, timezone=timezone, **kept)
    return RedirectResponse("/admin", status_code=303)


@router.post("/users/{user_id}/centres", response_model=None)
def assign_centres(
    request: Request,
    user_id: UserId,
    hub: HubDep,
    user: UserDep,
    centre_id: Annotated[list[str], Form(max_length=1000)] = [],  # noqa: B006
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """The centres an invigilator works at (none chosen: the whole organisation)."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.centres.assign_user(user, user_id, [c for c in centre_id if c])
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "users")
    return RedirectResponse("/admin", status_code=303)


@router.post("/kiosks/{kiosk_id}/revoke", response_model=None)
def revoke(
    request: Request, kiosk_id: KioskId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse | RedirectResponse:
    require(user, "admin")
    try:
        check_form(request, csrf_token)
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "kiosks")
    hub.enrolment.revoke(user.org_id, kiosk_id, user.email)
    return RedirectResponse("/admin", status_code=303)


@router.post("/retention", response_model=None)
def retention(
    request: Request,
    hub: HubDep,
    user: UserDep,
    days: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.records.set_retention(user, _days(days))
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "retention", days=days)
    return RedirectResponse("/admin", status_code=303)


@router.post("/data-policy", response_model=None)
def data_policy(
    request: Request,
    hub: HubDep,
    user: UserDep,
    send_answer_audio: Annotated[str, Form(max_length=10)] = "",
    kiosk_days: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """What kiosks send and keep; the page then shows the words candidates will read."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        if not kiosk_days.strip().isdigit():
            raise InvalidInputError(
                f"“{kiosk_days}” is not a number of days: enter a whole number from 0 to 365"
            )
        hub.data_policies.set(
            user.org_id,
            user.email,
            send_answer_audio=send_answer_audio == "yes",
            kiosk_days_after_sync=int(kiosk_days),
        )
    except FORM_ERRORS as error:
        kept = {"send_answer_audio": send_answer_audio, "kiosk_days": kiosk_days}
        return _refused(request, hub, user, error, "data_policy", **kept)
    return RedirectResponse("/admin", status_code=303)


def _days(typed: str) -> int | None:
    """Empty keeps data for ever; anything else must be a whole number of days."""
    if not typed.strip():
        return None
    if not typed.strip().isdigit():
        raise InvalidInputError(
            f"“{typed}” is not a number of days: enter a whole number from 1 to 3650, "
            "or leave it empty to keep data for ever"
        )
    return int(typed)


@router.post("/purge", response_class=HTMLResponse)
def purge(request: Request, hub: HubDep, user: UserDep, csrf_token: Csrf = "") -> HTMLResponse:
    require(user, "admin")
    try:
        check_form(request, csrf_token)
    except FORM_ERRORS as error:
        return _refused(request, hub, user, error, "retention")
    return _page(request, hub, user, purged=hub.records.purge_expired(user.org_id))
