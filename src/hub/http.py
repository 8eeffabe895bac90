"""HTTP plumbing shared by the API and the portal: body-size limits and error responses.

Every expected failure becomes a 4xx with one readable sentence: a JSON body under `/api/`
(kiosks parse it), an HTML page everywhere else (people read the portal; its forms catch their
own errors and show the form again, this is for the rest). A request body over the limit is
refused with 413 before (Content-Length) or while (chunked) it is read, never buffered whole.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.errors import HubError, MissingBlobsError, RateLimitedError, RedirectError

#: Renders a portal error page: (request, HTTP status, one readable sentence).
ErrorPage = Callable[[Request, int, str], Response]


def is_api(path: str) -> bool:
    """Machine clients live under /api/ (any version): they get JSON, never a page."""
    return path == "/api" or path.startswith("/api/")


def _size(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n} bytes"


class BodyTooLargeError(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimit:
    """Refuse request bodies above `limit` bytes (`blob_limit` for blob uploads)."""

    def __init__(
        self, app: ASGIApp, limit: int, blob_limit: int, blob_prefix: str, page: ErrorPage
    ) -> None:
        self.app = app
        self.limit = limit
        self.blob_limit = blob_limit
        self.blob_prefix = blob_prefix
        self.page = page

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
                await self._refuse(scope, limit)(scope, receive, send)
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

    def _refuse(self, scope: Scope, limit: int) -> Response:
        if is_api(scope["path"]):
            detail = f"the request body is larger than {limit} bytes"
            return JSONResponse({"detail": detail}, status_code=413)
        message = f"what you sent is larger than {_size(limit)}, the most the hub accepts"
        return self.page(Request(scope), 413, f"{message}: nothing was saved")


class ErrorHandlers:
    """The app's handlers for every failure: JSON under /api/, `page` everywhere else."""

    def __init__(self, page: ErrorPage) -> None:
        self.page = page

    def hub_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HubError)
        if not is_api(request.url.path):
            if isinstance(error, RedirectError):
                return RedirectResponse(error.location, status_code=303)
            if error.status == 401:
                return RedirectResponse("/login", status_code=303)
            return self.page(request, error.status, str(error))
        headers = {}
        body: dict[str, object] = {"detail": str(error)}
        if error.code:
            body["code"] = error.code
        if isinstance(error, RateLimitedError):
            headers["Retry-After"] = str(error.retry_after)
        if isinstance(error, MissingBlobsError):
            body["missing"] = error.missing
        if error.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(body, status_code=error.status, headers=headers)

    async def http_error(self, request: Request, error: Exception) -> Response:
        """Starlette's own refusals (no such route, wrong method, CSRF, body too large)."""
        assert isinstance(error, StarletteHTTPException)
        if is_api(request.url.path):
            return await http_exception_handler(request, error)
        status = error.status_code
        message = str(error.detail)
        if status in _PLAIN and message == HTTPStatus(status).phrase:  # Starlette's bare default
            message = _PLAIN[status]
        response = self.page(request, status, message)
        response.headers.update(error.headers or {})
        return response

    def validation_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in error.errors()[:5]
        )
        if not is_api(request.url.path):
            return self.page(request, 422, f"part of what was sent is not valid ({problems})")
        return JSONResponse({"detail": f"invalid request: {problems}"}, status_code=422)

    def server_error(self, request: Request, error: Exception) -> Response:
        """Unexpected failures: still a page in the portal; the API keeps Starlette's text."""
        if is_api(request.url.path):
            return PlainTextResponse("Internal Server Error", status_code=500)
        message = (
            "something went wrong on the hub: try again, and tell an administrator if it lasts"
        )
        return self.page(request, 500, message)


_PLAIN = {
    404: "there is no page at this address",
    405: "this page does not accept that kind of request",
}


def install_error_handlers(app: FastAPI, page: ErrorPage) -> None:
    handlers = ErrorHandlers(page)
    app.add_exception_handler(HubError, handlers.hub_error)
    app.add_exception_handler(StarletteHTTPException, handlers.http_error)
    app.add_exception_handler(RequestValidationError, handlers.validation_error)
    app.add_exception_handler(Exception, handlers.server_error)
