"""FastAPI dependencies of the sync API: the hub's services and the calling kiosk."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hub.container import Hub
from hub.errors import NotAuthenticatedError
from hub.views import KioskIdentity

_bearer = HTTPBearer(auto_error=False, description="the device token from enrolment")


def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]


def current_kiosk(
    hub: HubDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> KioskIdentity:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticatedError("this call needs the kiosk's bearer token")
    return hub.enrolment.authenticate(credentials.credentials)


KioskDep = Annotated[KioskIdentity, Depends(current_kiosk)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
