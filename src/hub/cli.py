"""The `kiosk-hub` command: serve, migrate, create an admin, issue an enrolment code, purge."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable

from hub.container import Hub, build_hub
from hub.db.database import open_database
from hub.errors import HubError
from hub.settings import HubConfigurationError, HubSettings
from hub.views import PortalUser


def _serve(args: argparse.Namespace, settings: HubSettings) -> int:
    import uvicorn

    from hub.app import create_app

    if args.dev:
        settings = settings.model_copy(update={"dev": True, "cookie_secure": False})
        print(
            "kiosk-hub: development mode: a throw-away secret key and cookies over plain http; "
            "never use it for real candidates",
            file=sys.stderr,
        )
    try:
        settings.signing_key()
    except HubConfigurationError as error:
        print(f"kiosk-hub serve: {error}", file=sys.stderr)
        return 2
    # migrate once, before any worker
    open_database(settings.resolved_database_url, blob_dir=settings.resolved_blob_dir).close()
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return 0


def _with_hub(action: Callable[[argparse.Namespace, Hub], int]) -> Callable[..., int]:
    def run(args: argparse.Namespace, settings: HubSettings) -> int:
        hub = build_hub(settings)
        try:
            return action(args, hub)
        finally:
            hub.close()

    return run


@_with_hub
def _create_admin(args: argparse.Namespace, hub: Hub) -> int:
    password = os.environ.get("HUB_ADMIN_PASSWORD") or getpass.getpass("password: ")
    org_id = hub.accounts.ensure_organisation(args.organisation)
    user = hub.accounts.create_user(org_id, args.email, password, args.role)
    print(f"created {user.role} {user.email} in {user.org_name}")
    return 0


@_with_hub
def _unlock(args: argparse.Namespace, hub: Hub) -> int:
    hub.accounts.throttle.unlock(args.email)
    print(f"sign-in delays of {args.email.strip().lower()} lifted")
    return 0


@_with_hub
def _reset_two_factor(args: argparse.Namespace, hub: Hub) -> int:
    """For an organisation's only admin who lost their authenticator (no other admin can)."""
    org_id = hub.accounts.ensure_organisation(args.organisation)
    user = next((u for u in hub.accounts.users(org_id) if u.email == args.email.lower()), None)
    if user is None:
        print(f"kiosk-hub: no user {args.email} in {args.organisation}", file=sys.stderr)
        return 2
    operator = PortalUser("kiosk-hub", "kiosk-hub cli", "admin", org_id, args.organisation)
    hub.accounts.reset_two_factor(operator, user.user_id)
    print(f"second factor of {user.email} reset: they set up a new one at their next sign-in")
    return 0


@_with_hub
def _enrolment_code(args: argparse.Namespace, hub: Hub) -> int:
    org_id = hub.accounts.ensure_organisation(args.organisation)
    issued = hub.enrolment.issue_code(org_id, "kiosk-hub cli")
    print(issued.code)
    print(f"valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC, once", file=sys.stderr)
    return 0


@_with_hub
def _purge(args: argparse.Namespace, hub: Hub) -> int:
    result = hub.records.purge_expired()
    print(f"purged {result.sessions_purged} session(s), deleted {result.blobs_deleted} file(s)")
    return 0


def _migrate(args: argparse.Namespace, settings: HubSettings) -> int:
    database = open_database(settings.resolved_database_url, blob_dir=settings.resolved_blob_dir)
    print(f"hub database ({database.backend}) is at the newest schema")
    database.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-hub", description="Interview Kiosk hub")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the HR portal and the sync API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of the reverse proxies whose X-Forwarded-For/-Proto headers are "
        "believed (comma-separated, '*' for any: only behind a proxy that sets them)",
    )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="development only: a throw-away secret key, cookies over plain http",
    )
    serve.set_defaults(handler=_serve)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        handler=_migrate
    )
    admin = sub.add_parser("create-admin", help="create a portal user (HUB_ADMIN_PASSWORD or ask)")
    admin.add_argument("email")
    admin.add_argument("--organisation", default="Default")
    admin.add_argument("--role", default="admin", choices=("admin", "hr", "invigilator"))
    admin.set_defaults(handler=_create_admin)
    unlock = sub.add_parser("unlock", help="lift the sign-in delays failed sign-ins put on a user")
    unlock.add_argument("email")
    unlock.set_defaults(handler=_unlock)
    reset = sub.add_parser(
        "reset-two-factor", help="clear a user's second factor (a lost authenticator)"
    )
    reset.add_argument("email")
    reset.add_argument("--organisation", default="Default")
    reset.set_defaults(handler=_reset_two_factor)
    code = sub.add_parser("enrolment-code", help="print a one-time code that enrols one kiosk")
    code.add_argument("--organisation", default="Default")
    code.set_defaults(handler=_enrolment_code)
    sub.add_parser("purge", help="apply every organisation's data retention now").set_defaults(
        handler=_purge
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("HUB_LOG_LEVEL", "WARNING").upper())
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args, HubSettings()))
    except HubError as error:
        print(f"kiosk-hub {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
