"""The kiosk's HTTP client for the hub's sync API, speaking only `contract.wire` models.

Every answer is checked before it is believed: a status outside the contract, a body that is not
JSON, or JSON of the wrong shape becomes a `HubError` naming the hub and what was wrong, so a
captive portal or a misconfigured proxy cannot make the kiosk mark anything as sent.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from contract.wire import (
    API_PREFIX,
    BlobStored,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    PackList,
    PushBatch,
    PushResult,
    SessionPack,
    Whoami,
)
from kiosk.sync.errors import (
    EnrolmentCodeRefusedError,
    HubAuthError,
    HubError,
    HubGoneError,
    HubNotFoundError,
    HubProtocolError,
    HubRateLimitedError,
    HubRejectedError,
    HubUnavailableError,
    MissingBlobsError,
)

M = TypeVar("M", bound=BaseModel)


def _error_body(response: httpx.Response) -> ErrorBody | None:
    """The hub's reason from its JSON error body, or None when the body is not one."""
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return None


class HubClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"User-Agent": "interview-kiosk", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            headers=headers,
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            raise HubUnavailableError(
                f"the hub at {self.base_url} did not answer within {self._timeout:g} s"
            ) from error
        except httpx.HTTPError as error:
            raise HubUnavailableError(
                f"cannot reach the hub at {self.base_url}: {type(error).__name__} {error}"
            ) from error
        if response.status_code >= 500:
            raise HubUnavailableError(
                f"the hub at {self.base_url} failed with HTTP {response.status_code}; "
                f"will retry later"
            )
        return response

    def _refuse(self, response: httpx.Response) -> HubError:
        """The error for a 4xx. A refusal without the sync API's error body did not come from
        the hub's reading of the request (a proxy, a login page answered): it is a protocol
        error, so nothing the kiosk sent is held against it (see `kiosk.sync.refusals`)."""
        status = response.status_code
        body = _error_body(response)
        detail = body.detail if body is not None else None
        if status == 401:
            return HubAuthError(f"the hub refused this kiosk's token: {detail or 'HTTP 401'}")
        if status == 429:
            try:
                wait = float(response.headers.get("Retry-After", "60"))
            except ValueError:
                wait = 60.0
            return HubRateLimitedError(f"the hub asks to slow down: {detail or 'HTTP 429'}", wait)
        if detail is None:
            kind = response.headers.get("content-type", "") or "an untyped body"
            return HubProtocolError(
                f"the hub at {self.base_url} answered HTTP {status} with {kind}, not the sync "
                f"API's error body: is something else (a proxy, a login page) answering for it?"
            )
        if status == 404:
            return HubNotFoundError(detail, status)
        if status == 410:
            return HubGoneError(detail, status, code=body.code if body is not None else "")
        if status == 409:
            missing = response.json().get("missing")
            if isinstance(missing, list) and all(isinstance(m, str) for m in missing):
                return MissingBlobsError(detail, missing)
        return HubRejectedError(f"the hub refused the request (HTTP {status}): {detail}", status)

    def _parse(self, response: httpx.Response, model: type[M], *expected: int) -> M:
        if response.status_code not in expected:
            if 400 <= response.status_code < 500:
                raise self._refuse(response)
            raise HubProtocolError(
                f"the hub at {self.base_url} answered HTTP {response.status_code}, which the "
                f"sync API never sends here"
            )
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("application/json"):
            raise HubProtocolError(
                f"the hub at {self.base_url} answered {content_type or 'an untyped body'} "
                f"instead of JSON: is KIOSK_HUB_URL the hub's address (not a proxy's login page)?"
            )
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "body"
            raise HubProtocolError(
                f"the hub at {self.base_url} answered JSON that is not a {model.__name__} "
                f"({where}: {first.get('msg')}); is it a different version of the hub?"
            ) from error

    # -- the sync API -------------------------------------------------------------------------
    def enrol(self, code: str, kiosk_name: str) -> EnrolResponse:
        body = EnrolRequest(code=code, kiosk_name=kiosk_name).model_dump(mode="json")
        response = self._send("POST", "/enrol", json=body)
        if response.status_code == 401 and _error_body(response) is not None:
            detail = _error_body(response).detail  # type: ignore[union-attr]
            raise EnrolmentCodeRefusedError(
                f"the hub did not accept the enrolment code {code!r}: {detail}"
            )
        return self._parse(response, EnrolResponse, 201)

    def whoami(self) -> Whoami:
        return self._parse(self._send("GET", "/whoami"), Whoami, 200)

    def pack(self, session_key: str, restart: bool = False) -> SessionPack:
        """One pack by key. `restart` asks for a pack another kiosk already started (its
        candidate moves here); the hub audits it, and this kiosk's interview becomes an attempt."""
        params = {"restart": "true"} if restart else None
        response = self._send("GET", f"/packs/{session_key}", params=params)
        return self._parse(response, SessionPack, 200)

    def waiting_packs(self) -> PackList:
        return self._parse(self._send("GET", "/packs"), PackList, 200)

    def has_blob(self, sha256: str, size: int) -> bool:
        """True only if the hub holds this exact blob; anything unclear means "upload it"."""
        response = self._send("HEAD", f"/blobs/{sha256}")
        if response.status_code == 200:
            return response.headers.get("X-Blob-Size") == str(size)
        if response.status_code == 404:
            return False
        raise self._refuse(response)

    def upload_blob(self, sha256: str, data: bytes) -> None:
        response = self._send(
            "PUT",
            f"/blobs/{sha256}",
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        stored = self._parse(response, BlobStored, 200, 201)
        if stored.sha256 != sha256 or stored.size != len(data):
            raise HubProtocolError(
                f"the hub at {self.base_url} acknowledged a different blob than was uploaded"
            )

    def push(self, batch: PushBatch) -> PushResult:
        response = self._send("POST", "/batches", json=batch.model_dump(mode="json"))
        return self._parse(response, PushResult, 200)
