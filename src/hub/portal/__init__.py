"""The HR portal: server-rendered pages behind a login, scoped to the user's organisation."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from hub.portal import (
    account,
    admin,
    admin_users,
    api_tokens,
    audit,
    auth,
    centres,
    dashboard,
    decisions,
    jobs,
    lifecycle,
    mail,
    password_reset,
    sessions,
    two_factor,
)


def install_portal(app: FastAPI) -> None:
    static = Path(__file__).resolve().parent.parent / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(auth.router)
    app.include_router(account.router)
    app.include_router(two_factor.router)
    app.include_router(sessions.router)
    app.include_router(dashboard.router)
    app.include_router(lifecycle.router)
    app.include_router(admin.router)
    app.include_router(admin_users.router)
    app.include_router(audit.router)
    app.include_router(jobs.router)
    app.include_router(api_tokens.router)
    app.include_router(mail.router)
    app.include_router(decisions.router)
    app.include_router(password_reset.router)
    app.include_router(centres.router)
