"""An admin changes a test centre's address and arrival instructions (`hub.services.centres`):
what the candidate's invitation, reminder and printed slip say about where to go."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contract.wire import IDENTIFIER_PATTERN
from hub.api.deps import HubDep
from hub.portal.admin import Csrf, PlaceText, _refused
from hub.portal.deps import UserDep, require
from hub.portal.errors import FORM_ERRORS, check_form

router = APIRouter(prefix="/admin", include_in_schema=False)
CentreId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]


@router.post("/centres/{centre_id}", response_model=None)
def set_centre_place(
    request: Request,
    centre_id: CentreId,
    hub: HubDep,
    user: UserDep,
    address: PlaceText = "",
    instructions: PlaceText = "",
    csrf_token: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    """Save the centre's address and instructions (another organisation's centre: 404)."""
    require(user, "admin")
    try:
        check_form(request, csrf_token)
        hub.centres.set_place(user, centre_id, address, instructions)
    except FORM_ERRORS as error:
        kept = {"centre_id": centre_id, "address": address, "instructions": instructions}
        return _refused(request, hub, user, error, f"centre-{centre_id}", **kept)
    return RedirectResponse("/admin", status_code=303)
