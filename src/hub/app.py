"""The hub's ASGI application: the sync API for kiosks and the HR portal, one process.

`create_app()` builds everything from settings when called (uvicorn calls it as a factory at
start-up), never at import, so tests and several workers each get their own services.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from contract.wire import API_PREFIX
from hub.api.ats import router as ats_router
from hub.api.sync import router as sync_router
from hub.container import Hub, build_hub
from hub.http import BodyLimit, install_error_handlers
from hub.portal import install_portal
from hub.portal.errors import error_page
from hub.rescoring.jobs import RescoreJobs
from hub.security.headers import SecurityHeaders
from hub.services.mail import BackgroundMail
from hub.settings import HubSettings


def create_app(settings: HubSettings | None = None, *, hub: Hub | None = None) -> FastAPI:
    """The hub's app; `HubConfigurationError` (before anything is opened) without a secret key
    outside dev mode."""
    settings = settings or (hub.settings if hub else HubSettings())
    signing_key = settings.signing_key()
    hub = hub or build_hub(settings)
    docs = settings.api_docs
    app = FastAPI(
        title="Interview Kiosk hub",
        version="1",
        description="Sync API for enrolled kiosks, a read API for applicant-tracking systems, "
        "and the HR portal.",
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
        lifespan=_lifespan(hub, settings.request_threads),
    )
    app.state.hub = hub
    app.state.signing_key = signing_key
    app.state.rescoring = RescoreJobs.from_settings(hub.database, settings, clock=hub.clock)
    app.include_router(sync_router)
    app.include_router(ats_router)
    install_portal(app)
    install_error_handlers(app, page=error_page)
    app.add_middleware(SecurityHeaders, https=settings.cookie_secure)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        blob_limit=settings.max_blob_bytes + 1,
        blob_prefix=f"{API_PREFIX}/blobs/",
        page=error_page,
    )
    return app


def _lifespan(
    hub: Hub, request_threads: int
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """While the app serves: request handlers on `request_threads` threads, mail being sent."""
    mail = BackgroundMail(hub.mail, hub.mail_sender, hub.mail.config.poll_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = request_threads
        async with mail.lifespan(app):
            yield

    return lifespan
