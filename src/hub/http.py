"""HTTP plumbing shared by the API and the portal: body-size limits and error responses.

Every expected failure becomes a 4xx with one readable sentence; a request body over the limit
is refused with 413 before (Content-Length) or while (chunked) it is read, never buffered whole.
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.errors import HubError, MissingBlobsError, RateLimitedError
from kiosk.wire import API_PREFIX


class BodyTooLargeError(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimit:
    """Refuse request bodies above `limit` bytes (`blob_limit` for blob uploads)."""

    def __init__(self, app: ASGIApp, limit: int, blob_limit: int, blob_prefix: str) -> None:
        self.app = app
        self.limit = limit
        self.blob_limit = blob_limit
        self.blob_prefix = blob_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.blob_limit if scope["path"].startswith(self.blob_prefix) else self.limit
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False
            if too_large:
                response = JSONResponse(
                    {"detail": f"the request body is larger than {limit} bytes"}, status_code=413
                )
                await response(scope, receive, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLargeError(limit)
            return message

        await self.app(scope, limited, send)


def _portal_error(request: Request, error: HubError) -> Response:
    if error.status == 401:
        return RedirectResponse("/login", status_code=303)
    page = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Interview Kiosk hub</title>"
        "<link rel=stylesheet href=/static/hub.css><main class=narrow><h1>Sorry</h1>"
        f"<p class=error>{escape(str(error))}</p><p><a href=/>Back to the sessions</a></p></main>"
    )
    return HTMLResponse(page, status_code=error.status)


def _hub_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HubError)
    if not request.url.path.startswith(API_PREFIX):
        return _portal_error(request, error)
    headers = {}
    body: dict[str, object] = {"detail": str(error)}
    if isinstance(error, RateLimitedError):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, MissingBlobsError):
        body["missing"] = error.missing
    if error.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=error.status, headers=headers)


def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
        for e in error.errors()[:5]
    )
    return JSONResponse({"detail": f"invalid request: {problems}"}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HubError, _hub_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
