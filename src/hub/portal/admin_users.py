"""Admin actions on one user beyond `hub.portal.admin`'s: enable a disabled user, change a role
(the organisation's last administrator is never demoted)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.wire import IDENTIFIER_PATTERN
from hub.api.deps import HubDep
from hub.portal.admin import _on_user
from hub.portal.deps import UserDep

router = APIRouter(prefix="/admin", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
UserId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]


@router.post("/users/{user_id}/enable", response_model=None)
def enable_user(
    request: Request, user_id: UserId, hub: HubDep, user: UserDep, csrf_token: Csrf = ""
) -> HTMLResponse | RedirectResponse:
    """A disabled user may sign in again."""
    return _on_user(request, hub, user, csrf_token, lambda: hub.user_admin.enable(user, user_id))


@router.post("/users/{user_id}/role", response_model=None)
def change_role(
    request: Request,
    user_id: UserId,
    hub: HubDep,
    user: UserDep,
    role: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """A new role; the user's signed-in sessions end so no page keeps the old rights."""
    return _on_user(
        request, hub, user, csrf_token, lambda: hub.user_admin.change_role(user, user_id, role)
    )
