"""Security headers on every response the hub sends, portal and API alike.

* A strict Content-Security-Policy: scripts, styles, images and media only from the hub itself,
  no inline script or style (the portal has none: its little script is /static/hub.js), no
  plugins, forms posting only to the hub, and no framing (`frame-ancestors 'none'`, with
  `X-Frame-Options: DENY` for older browsers). A response that set its own CSP keeps it (media
  are sandboxed more strictly, `hub.portal.files`).
* `Referrer-Policy: no-referrer`: session and flag ids in portal URLs never leave the hub.
* `Permissions-Policy`: the portal never needs a camera, microphone, location or payment.
* `Cache-Control: no-store` on everything but /static/: pages, reports, media and API answers
  carry personal data no browser or proxy may keep.
* `Strict-Transport-Security` when the hub is served over HTTPS (HUB_COOKIE_SECURE, the default).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
STATIC_PREFIX = "/static/"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Permissions-Policy", PERMISSIONS)
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
                if not static:
                    headers["Cache-Control"] = "no-store"
                if self.https:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, with_headers)
