"""Sync endpoints: enrol, pull packs, upload blobs, push outbox batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from contract.wire import (
    API_PREFIX,
    SHA256_PATTERN,
    BlobStored,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    MissingBlobs,
    PackList,
    PushBatch,
    PushResult,
    SessionPack,
    Whoami,
)
from hub.api.deps import HubDep, KioskDep, client_address
from hub.blobs import BlobError, BlobTooLargeError
from hub.clock import utc_now
from hub.errors import (
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
)
from hub.services.enrolment import InvalidEnrolmentCodeError

router = APIRouter(prefix=API_PREFIX, tags=["sync"])
Sha256Path = Annotated[str, Path(pattern=SHA256_PATTERN, max_length=64)]
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 410, 413, 422, 429)
}


@router.post("/enrol", status_code=201, response_model=EnrolResponse, responses=_ERRORS)
def enrol(body: EnrolRequest, request: Request, hub: HubDep) -> EnrolResponse:
    """Exchange a one-time enrolment code for this kiosk's bearer token. Wrong codes count as
    misses, limited per address across every hub process."""
    keys = [f"ip:{client_address(request)}"]
    with hub.code_misses.attempt(keys, miss=InvalidEnrolmentCodeError):
        return hub.enrolment.enrol(body.code, body.kiosk_name)


@router.get("/whoami", response_model=Whoami, responses=_ERRORS)
def whoami(kiosk: KioskDep, hub: HubDep) -> Whoami:
    """Check connectivity and the token: which kiosk of which organisation the hub sees."""
    return Whoami(
        kiosk_id=kiosk.kiosk_id,
        kiosk_name=kiosk.name,
        organisation=kiosk.org_name,
        server_time=utc_now(),
    )


@router.get("/packs", response_model=PackList, responses=_ERRORS)
def waiting_packs(kiosk: KioskDep, hub: HubDep) -> PackList:
    """Today's packs: every session of the kiosk's organisation still waiting for a candidate."""
    return hub.packs.waiting(kiosk)


@router.get("/packs/{session_key}", response_model=SessionPack, responses=_ERRORS)
def pack(
    session_key: Annotated[str, Path(max_length=64)],
    kiosk: KioskDep,
    hub: HubDep,
    restart: Annotated[
        bool,
        Query(description="send a pack another kiosk started (its candidate moves); audited"),
    ] = False,
) -> SessionPack:
    """One session pack by key (410 once started elsewhere, unless `restart`). Unknown keys
    count as misses, limited per kiosk across every hub process, restart or not: by the kiosk's
    identity, not its address, since a test centre's kiosks share one address behind NAT."""
    with hub.key_misses.attempt([f"kiosk:{kiosk.kiosk_id}"], miss=NotFoundError):
        return hub.packs.by_key(kiosk, session_key, restart=restart)


@router.head("/blobs/{sha256}", responses={404: {"description": "not on the hub"}})
def blob_exists(sha256: Sha256Path, kiosk: KioskDep, hub: HubDep) -> Response:
    """200 when the hub holds this blob for the kiosk's organisation (so a resumed upload skips
    it), else 404, also when only another organisation holds the same bytes."""
    found = hub.blobs.size(kiosk.org_id, sha256)
    if found is None:
        return Response(status_code=404)
    return Response(status_code=200, headers={"X-Blob-Size": str(found)})


@router.put(
    "/blobs/{sha256}",
    status_code=201,
    response_model=BlobStored,
    responses={**_ERRORS, 200: {"model": BlobStored, "description": "already stored"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def upload_blob(
    sha256: Sha256Path, request: Request, kiosk: KioskDep, hub: HubDep, response: Response
) -> BlobStored:
    """Store a blob under its sha256; bytes that hash to anything else are refused (422)."""
    try:
        stored = await hub.blobs.put_stream(
            kiosk.org_id, sha256, request.stream(), hub.settings.max_blob_bytes
        )
    except BlobTooLargeError as error:
        raise PayloadTooLargeError(str(error)) from error
    except BlobError as error:
        raise InvalidInputError(str(error)) from error
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    return BlobStored(sha256=stored.sha256, size=stored.size, created=stored.created)


@router.post(
    "/batches",
    response_model=PushResult,
    responses={**_ERRORS, 409: {"model": MissingBlobs}},
)
def push(batch: PushBatch, kiosk: KioskDep, hub: HubDep) -> PushResult:
    """Apply outbox entries in order, all or none; entries seen before are acknowledged again."""
    return hub.ingest.push(kiosk, batch)
